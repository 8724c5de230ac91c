package dev.kdk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root command: {@code kdk}. */
@Command(name = "kdk", mixinStandardHelpOptions = true, versionProvider = KdkCommand.Version.class,
        description = {"Private, disposable Kubernetes clusters for every developer, inside the team's cluster.",
            "",
            "Admins list developers in a values file and run `kdk install`; developers run `kdk connect NAME`."},
        subcommands = {TemplateCommand.class, InstallCommand.class, UninstallCommand.class, ListCommand.class,
            StatusCommand.class, RotateCertsCommand.class, ConnectCommand.class, KubeconfigCommand.class,
            CompletionCommand.class},
        usageHelpAutoWidth = true,
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Success.", "1:Failure talking to the cluster or the local system.",
            "2:Invalid input (values, flags, templates); nothing was written."})
public class KdkCommand {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Print stack traces and debug detail on errors.")
    boolean verbose;

    public boolean verbose() {
        return verbose;
    }

    /** Reads the version Maven wrote into {@code kdk-version.properties}. */
    public static class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties p = new Properties();
            try (InputStream in = KdkCommand.class.getResourceAsStream("/kdk-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"kdk " + p.getProperty("version", "unknown")};
        }
    }
}
