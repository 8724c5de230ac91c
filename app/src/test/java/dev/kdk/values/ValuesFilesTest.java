package dev.kdk.values;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kdk.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Table of values files: every {@code invalid-*.yaml} under test resources/values must fail with exactly the
 * messages of its golden {@code golden/values/NAME.err}; every {@code valid-*.yaml} must load. Adding a case costs
 * one input file and one golden.
 */
class ValuesFilesTest {
    static Path dir() {
        return Golden.repoRoot().resolve("app/src/test/resources/values");
    }

    static Stream<String> invalid() throws IOException {
        return files("invalid-");
    }

    static Stream<String> valid() throws IOException {
        return files("valid-");
    }

    private static Stream<String> files(String prefix) throws IOException {
        try (Stream<Path> list = Files.list(dir())) {
            return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValuesFailWithEveryProblemAndItsPosition(String name) {
        String file = "app/src/test/resources/values/" + name;
        ValuesException e = catchThrowableOfType(ValuesException.class, () -> new ValuesLoader()
                .load(new ValuesLoader.Request(List.of(Golden.repoRoot().resolve(file).toString()), null, null, "kdk")));
        assertThat(e).as("values %s must be rejected", name).isNotNull();
        assertThat(e.exitCode()).isEqualTo(2);
        String messages = e.getMessage().replace(Golden.repoRoot() + "/", "") + "\n";
        Golden.assertMatches("values/" + name.replace(".yaml", ".err"), messages);
    }

    @ParameterizedTest
    @MethodSource("valid")
    void validValuesLoad(String name) {
        ReleaseValues r = new ValuesLoader().load(new ValuesLoader.Request(
                List.of(dir().resolve(name).toString()), null, null, "kdk"));
        assertThat(r.clusters()).isNotEmpty();
        assertThat(r.clusters()).allSatisfy(c -> assertThat(c.email()).contains("@"));
    }
}
