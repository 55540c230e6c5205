package io.kobot.streams.deliver;

import io.kobot.schema.Engagement;
import io.kobot.schema.IdentityLink;

/**
 * What the delivery processor takes in: an engagement, or an identity link to forward; exactly one is set. Lives
 * only between the sink's inputs and its processor; it is never serialized as such.
 */
record DeliveryItem(Engagement engagement, IdentityLink link) {
    DeliveryItem {
        if ((engagement == null) == (link == null)) {
            throw new IllegalArgumentException("a delivery item is an engagement or a link");
        }
    }

    static DeliveryItem of(Engagement engagement) {
        return new DeliveryItem(engagement, null);
    }

    static DeliveryItem of(IdentityLink link) {
        return new DeliveryItem(null, link);
    }

    boolean isLink() {
        return link != null;
    }
}
