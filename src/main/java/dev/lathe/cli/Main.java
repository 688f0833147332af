package dev.lathe.cli;

/** Entry point of the runnable jar; commands are filled in by the CLI package. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("lathe: commands are being built; see README.md");
    }
}
