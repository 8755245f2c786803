package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.maven.model.Plugin;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

class SurefireCheckTest {

    @Test
    void surefireOlderThan222RunsNoJUnitJupiterTestAndTheWarningSaysWhichVersionToDeclare() {
        assertThat(SurefireCheck.warnings(surefire("2.12.4"), List.of("com.acme.CheckoutTest"))).containsExactly(
                "mvn test runs none of these tests: maven-surefire-plugin 2.12.4 runs no JUnit Jupiter test (2.22.0 "
                        + "was the first to; Maven 3.8 brings 2.12.4). Declare <version>3.5.4</version> for it in the "
                        + "pom's <build><plugins>.");
    }

    @Test
    void aClassNoDefaultIncludeMatchesIsNamedWithTheIncludeThatWould() {
        assertThat(SurefireCheck.warnings(surefire("3.5.4"), List.of("com.acme.CheckoutE2E", "com.acme.ShopProbe",
                "com.acme.CheckoutTest", "com.acme.TestPayments$Nested", "Tests"))).containsExactly(
                "mvn test does not run com.acme.CheckoutE2E: no include of maven-surefire-plugin matches its name "
                        + "[**/Test*.java, **/*Test.java, **/*Tests.java, **/*TestCase.java]. Add "
                        + "<include>**/*E2E.java</include> to its <includes> with the defaults (configured includes "
                        + "replace them), or name the class ...Test.",
                "mvn test does not run com.acme.ShopProbe: no include of maven-surefire-plugin matches its name "
                        + "[**/Test*.java, **/*Test.java, **/*Tests.java, **/*TestCase.java]. Add "
                        + "<include>**/*Probe.java</include> to its <includes> with the defaults (configured includes "
                        + "replace them), or name the class ...Test.");
    }

    @Test
    void configuredIncludesAreReadAndFormsNotKnownAreNotChecked() {
        Plugin surefire = surefire("3.5.4");
        surefire.setConfiguration(includes("**/*Test.java", "**/*E2E.java"));
        assertThat(SurefireCheck.warnings(surefire, List.of("com.acme.CheckoutE2E"))).isEmpty();
        assertThat(SurefireCheck.warnings(surefire, List.of("com.acme.ShopProbe"))).containsExactly("mvn test does "
                + "not run com.acme.ShopProbe: no include of maven-surefire-plugin matches its name [**/*Test.java, "
                + "**/*E2E.java]. Add <include>**/*Probe.java</include> to its <includes>, or name the class ...Test.");

        surefire.setConfiguration(includes("%regex[.*Probe.*]"));
        assertThat(SurefireCheck.warnings(surefire, List.of("com.acme.ShopProbe"))).isEmpty();
    }

    private static Plugin surefire(String version) {
        Plugin surefire = new Plugin();
        surefire.setGroupId("org.apache.maven.plugins");
        surefire.setArtifactId("maven-surefire-plugin");
        surefire.setVersion(version);
        return surefire;
    }

    private static Xpp3Dom includes(String... patterns) {
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom includes = new Xpp3Dom("includes");
        for (String pattern : patterns) {
            Xpp3Dom include = new Xpp3Dom("include");
            include.setValue(pattern);
            includes.addChild(include);
        }
        configuration.addChild(includes);
        return configuration;
    }
}
