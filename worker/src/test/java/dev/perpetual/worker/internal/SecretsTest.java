package dev.perpetual.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void valuesOfKeysNamedLikeSecretsAreMaskedWhateverTheCase() {
        Secrets secrets = Secrets.of(Map.of("shop.TOKEN", "t0k3n-aaa", "db.Password", "pw-bbbb", "ldap.passwd",
                "pw-cccc", "aws.credentials", "cred-dddd", "maps.apikey", "key-eeee", "maps.api-key", "key-ffff",
                "oauth.client-secret", "sec-gggg", "shop.url", "https://shop.example"));

        assertThat(secrets.scrub("t0k3n-aaa pw-bbbb pw-cccc cred-dddd key-eeee key-ffff sec-gggg https://shop.example"))
                .isEqualTo("**** **** **** **** **** **** **** https://shop.example");
    }

    @Test
    void keysListedInPerpetualSecretsKeysTheWebhookSecretAndTheHistoryPasswordAreMaskedToo() {
        Secrets secrets = Secrets.of(Map.of("perpetual.secrets.keys", " shop.user , shop.account", "shop.user",
                "alice-1", "shop.account", "acct-22", "perpetual.webhooks.secret", "whsec_abcd",
                "perpetual.history.password", "hist-pw"));

        assertThat(secrets.scrub("alice-1/acct-22/whsec_abcd/hist-pw")).isEqualTo("****/****/****/****");
    }

    @Test
    void valuesShorterThanFourCharactersAreLeftAlone() {
        Secrets secrets = Secrets.of(Map.of("shop.token", "abc", "other.token", "abcd"));

        assertThat(secrets.scrub("abc and abcd")).isEqualTo("abc and ****");
        assertThat(secrets.size()).isEqualTo(1);
    }

    @Test
    void aSecretHoldingAnotherIsMaskedWhole() {
        Secrets secrets = Secrets.of(Map.of("a.token", "secret", "b.token", "secret-and-more"));

        assertThat(secrets.scrub("x secret-and-more y secret")).isEqualTo("x **** y ****");
    }

    @Test
    void nullAndListsPassThroughScrubbed() {
        Secrets secrets = Secrets.of(Map.of("a.token", "hunter22"));

        assertThat(secrets.scrub((String) null)).isNull();
        assertThat(secrets.scrub(List.of("pw hunter22", "none"))).containsExactly("pw ****", "none");
        assertThat(Secrets.none().scrub("hunter22")).isEqualTo("hunter22");
    }
}
