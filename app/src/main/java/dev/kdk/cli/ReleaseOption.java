package dev.kdk.cli;

import picocli.CommandLine.Option;

/**
 * {@code --release NAME} (default {@code kdk}) for the commands that act on an installed release: list, status,
 * uninstall, rotate-certs. Install and template take it from {@link ValuesOptions}, where it also names resources.
 */
public class ReleaseOption {
    @Option(names = "--release", paramLabel = "NAME", defaultValue = "kdk",
            description = "Release name (default: ${DEFAULT-VALUE}).")
    String name;
}
