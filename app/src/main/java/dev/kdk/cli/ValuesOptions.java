package dev.kdk.cli;

import dev.kdk.values.ValuesLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Helm's flags for values and chart templates, shared by template and install. */
public class ValuesOptions {
    @Option(names = {"-f", "--values"}, paramLabel = "FILE",
            description = "A values file (YAML; `-` reads stdin). Repeat to layer files; later files win.")
    List<String> files = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Set values on the command line (a.b=c,list[0]=x,names={a,b}); after the files.")
    List<String> set = new ArrayList<>();

    @Option(names = "--set-string", paramLabel = "KEY=VALUE",
            description = "Like --set, but every value stays a string; applied after --set.")
    List<String> setString = new ArrayList<>();

    @Option(names = "--release", paramLabel = "NAME", defaultValue = "kdk",
            description = "The release name: prefix of every resource (RELEASE-CLUSTER). Default: ${DEFAULT-VALUE}.")
    String release;

    @Option(names = "--chart-templates", paramLabel = "DIR",
            description = "Render the templates of DIR instead of the ones built into kdk.")
    Path chartTemplates;

    public ValuesLoader.Request request() {
        return new ValuesLoader.Request(files, set, setString, release);
    }
}
