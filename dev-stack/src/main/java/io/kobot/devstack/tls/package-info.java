/**
 * TLS for the stand-ins and their clients: {@link io.kobot.devstack.tls.SelfSignedCertificate} makes a certificate
 * for {@code localhost} at run time (no certificate file lives in the repository), and the contexts and trust store
 * that go with it.
 */
package io.kobot.devstack.tls;
