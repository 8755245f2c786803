package dev.perpetual.internal.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.sun.net.httpserver.Headers;

/**
 * Verifies Standard Webhooks signatures (<a href="https://www.standardwebhooks.com">standardwebhooks.com</a>):
 * {@code webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">}, several
 * space-separated signatures allowed (key rotation), a timestamp at most five minutes from now either way, and
 * a constant-time comparison. The secret is {@code whsec_<base64>} (the prefix is optional).
 *
 * <p>There is no maintained Java library for the scheme apart from vendor SDKs that pull in an HTTP client and a
 * JSON mapper; the scheme is these forty lines of JDK code.
 */
final class Signatures {

    static final long TOLERANCE_SECONDS = 5 * 60;

    private static final String PREFIX = "whsec_";

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    private Signatures(byte[] secret) {
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    static Signatures of(String configKey, String secret) {
        String base64 = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length > 0) {
                return new Signatures(bytes);
            }
        }
        catch (IllegalArgumentException e) {
            // reported below
        }
        throw Settings.invalid(configKey, "<" + secret.length() + " characters, not shown>",
                "a Standard Webhooks secret: whsec_ followed by base64, such as "
                        + "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    /** Why the delivery is not signed correctly, or {@code null} when it is. */
    String reject(Headers headers, byte[] body, long nowEpochSeconds) {
        String id = headers.getFirst("webhook-id");
        String timestamp = headers.getFirst("webhook-timestamp");
        String signatures = headers.getFirst("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return "missing webhook-id, webhook-timestamp or webhook-signature header";
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.strip());
        }
        catch (NumberFormatException e) {
            return "webhook-timestamp is not a number of seconds";
        }
        if (Math.abs(nowEpochSeconds - seconds) > TOLERANCE_SECONDS) {
            return "webhook-timestamp is more than 5 minutes from now";
        }
        byte[] expected = sign(id, timestamp.strip(), body);
        for (String signature : signatures.strip().split(" ")) {
            if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, decode(signature.substring(3)))) {
                return null;
            }
        }
        return "no valid v1 signature";
    }

    /** The raw v1 signature, also used by tests and the benchmark to sign deliveries. */
    byte[] sign(String id, String timestamp, byte[] body) {
        Mac mac = macs.get();
        mac.update(id.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '.');
        mac.update(timestamp.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '.');
        return mac.doFinal(body);
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
