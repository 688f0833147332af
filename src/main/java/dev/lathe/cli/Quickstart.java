package dev.lathe.cli;

import dev.lathe.engine.Engine;
import java.io.PrintStream;

/** The annotated walk-through behind {@code lathe quickstart}. */
public final class Quickstart {
    private Quickstart() {}

    public static void run(Engine engine, PrintStream out) {
        out.println("The quickstart walk-through is being written; meanwhile try 'lathe sql'.");
    }
}
