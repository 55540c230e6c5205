package io.kobot.devstack.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for {@code localhost} and 127.0.0.1 (EC P-256, valid for two days), made for one run by
 * the JDK's own {@code keytool}, so that no library and no certificate file is needed: the server's TLS context, a
 * client context that trusts this certificate alone, and a trust store file for clients that take the JVM's default
 * ({@code javax.net.ssl.trustStore}).
 */
public final class SelfSignedCertificate {
    /** The password of the key store and of the trust stores written: protects nothing, keytool needs one. */
    public static final String PASSWORD = "changeit";

    /** The format of the key store and of the trust stores written. */
    public static final String STORE_TYPE = "PKCS12";

    private static final String ALIAS = "server";

    private final Path keyStorePath;
    private final KeyStore keyStore;

    private SelfSignedCertificate(Path keyStorePath, KeyStore keyStore) {
        this.keyStorePath = keyStorePath;
        this.keyStore = keyStore;
    }

    /** Makes a new certificate and its key in a key store in {@code dir} (one second or so: keytool is a JVM). */
    public static SelfSignedCertificate create(Path dir) {
        Path store = dir.resolve("server.p12");
        try {
            Process keytool = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "keytool")
                                    .toString(),
                            "-genkeypair",
                            "-alias",
                            ALIAS,
                            "-keyalg",
                            "EC",
                            "-groupname",
                            "secp256r1",
                            "-dname",
                            "CN=localhost",
                            "-ext",
                            "SAN=dns:localhost,ip:127.0.0.1",
                            "-validity",
                            "2",
                            "-storetype",
                            STORE_TYPE,
                            "-keystore",
                            store.toString(),
                            "-storepass",
                            PASSWORD)
                    .redirectErrorStream(true)
                    .start();
            String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot run keytool", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making a certificate", e);
        }
        return load(store);
    }

    /** A certificate made by {@link #create} before, from its key store (another JVM may have made it). */
    public static SelfSignedCertificate load(Path keyStorePath) {
        try (InputStream in = Files.newInputStream(keyStorePath)) {
            KeyStore keys = KeyStore.getInstance(STORE_TYPE);
            keys.load(in, PASSWORD.toCharArray());
            return new SelfSignedCertificate(keyStorePath, keys);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the key store " + keyStorePath, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Not a key store made by keytool: " + keyStorePath, e);
        }
    }

    /** The key store holding the key and the certificate. */
    public Path keyStorePath() {
        return keyStorePath;
    }

    /** A server's context: presents this certificate. */
    public SSLContext serverContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a server TLS context", e);
        }
    }

    /** A client's context that trusts this certificate and nothing else. */
    public SSLContext clientContext() {
        try {
            TrustManagerFactory trustManagers =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make a client TLS context", e);
        }
    }

    /**
     * Writes a trust store holding this certificate alone ({@link #STORE_TYPE}, password {@link #PASSWORD}), for a
     * JVM whose clients take the default trust store: {@code javax.net.ssl.trustStore} and its type and password.
     */
    public Path writeTrustStore(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            trustStore().store(out, PASSWORD.toCharArray());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the trust store " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot write the trust store " + file, e);
        }
    }

    private KeyStore trustStore() throws GeneralSecurityException {
        Certificate certificate = keyStore.getCertificate(ALIAS);
        KeyStore trusted = KeyStore.getInstance(STORE_TYPE);
        try {
            trusted.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an empty store reads nothing
        }
        trusted.setCertificateEntry(ALIAS, certificate);
        return trusted;
    }
}
