package dev.kdk.cli;

import picocli.CommandLine.Command;

/** {@code kdk install} (being wired). */
@Command(name = "install", mixinStandardHelpOptions = true, description = "Not wired yet.")
public class InstallCommand implements Runnable {
    @Override
    public void run() {
        throw new dev.kdk.KdkException("not implemented yet");
    }
}
