package dev.perpetual.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelectionTest {

    @TempDir
    Path testClasses;

    @Test
    void withoutSelectorEveryTestOfTheProjectsTestClassesIsScanned() throws Exception {
        assertThat(Selection.options(null, testClasses)).containsExactly("--scan-class-path", testClasses.toString());
        assertThat(Selection.options(" , ", testClasses)).containsExactly("--scan-class-path", testClasses.toString());
    }

    @Test
    void prefixedSelectorsAreJUnitsAndTagsFilterTheScan() throws Exception {
        assertThat(Selection.options("package:com.acme.probes, class:com.acme.CheckoutE2E,"
                + "method:com.acme.CheckoutE2E#orderConfirmed", testClasses)).containsExactly(
                "--select-package", "com.acme.probes", "--select-class", "com.acme.CheckoutE2E",
                "--select-method", "com.acme.CheckoutE2E#orderConfirmed");
        assertThat(Selection.options("tag:checkout & !slow", testClasses)).containsExactly(
                "--scan-class-path", testClasses.toString(), "--include-tag", "checkout & !slow");
    }

    @Test
    void aBareNameIsAMethodWithAHashAClassWithACapitalAfterTheLastDotElseAPackage() throws Exception {
        assertThat(Selection.options("com.acme.probes,com.acme.CheckoutE2E,com.acme.CheckoutE2E#orderConfirmed",
                testClasses)).containsExactly("--select-package", "com.acme.probes", "--select-class",
                "com.acme.CheckoutE2E", "--select-method", "com.acme.CheckoutE2E#orderConfirmed");
    }

    @Test
    void aSimpleClassNameIsLookedUpInTheTestClasses() throws Exception {
        Files.createDirectories(testClasses.resolve("com/acme"));
        Files.createFile(testClasses.resolve("com/acme/CheckoutE2E.class"));

        assertThat(Selection.options("CheckoutE2E, CheckoutE2E#orderConfirmed, Missing", testClasses))
                .containsExactly("--select-class", "com.acme.CheckoutE2E", "--select-method",
                        "com.acme.CheckoutE2E#orderConfirmed", "--select-class", "Missing");
    }

    @Test
    void aSimpleClassNameOfTwoTestClassesIsAnErrorNamingBoth() throws Exception {
        Files.createDirectories(testClasses.resolve("com/acme/eu"));
        Files.createDirectories(testClasses.resolve("com/acme/us"));
        Files.createFile(testClasses.resolve("com/acme/eu/CheckoutE2E.class"));
        Files.createFile(testClasses.resolve("com/acme/us/CheckoutE2E.class"));

        assertThatThrownBy(() -> Selection.options("CheckoutE2E", testClasses))
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("-Dperpetual.select names the class [CheckoutE2E], and " + testClasses + " holds 2 classes "
                        + "of that name [com.acme.eu.CheckoutE2E, com.acme.us.CheckoutE2E]: give its package too, such "
                        + "as class:com.acme.eu.CheckoutE2E.");
    }

    @Test
    void aSelectorOfNoKnownKindOrWithoutNameIsAnErrorNamingItAndTheFormsThatWork() {
        assertThatThrownBy(() -> Selection.options("klass:com.acme.CheckoutE2E", testClasses))
                .isInstanceOf(MojoFailureException.class)
                .hasMessage("-Dperpetual.select has an invalid selector [klass:com.acme.CheckoutE2E]: [klass:] is no "
                        + "kind of selector. Use package:PKG, class:CLASS, method:CLASS#METHOD, tag:EXPRESSION or a "
                        + "bare name (com.acme.probes, CheckoutE2E, com.acme.CheckoutE2E#orderConfirmed), separated "
                        + "by commas.");
        assertThatThrownBy(() -> Selection.options("class:", testClasses))
                .hasMessageStartingWith("-Dperpetual.select has an invalid selector [class:]: it names nothing. Use ");
        assertThatThrownBy(() -> Selection.options("method:com.acme.CheckoutE2E", testClasses))
                .hasMessageStartingWith("-Dperpetual.select has an invalid selector [method:com.acme.CheckoutE2E]: "
                        + "a method is CLASS#METHOD. Use ");
    }
}
