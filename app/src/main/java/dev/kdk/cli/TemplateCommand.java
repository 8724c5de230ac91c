package dev.kdk.cli;

import picocli.CommandLine.Command;

/** {@code kdk template}: renders the manifests that {@code kdk install} applies. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Render every manifest that `kdk install` applies, without touching a cluster.")
public class TemplateCommand implements Runnable {
    @Override
    public void run() {
        throw new dev.kdk.KdkException("not implemented yet");
    }
}
