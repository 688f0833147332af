package dev.lathe.cli;

import dev.lathe.warehouse.Warehouse;
import java.nio.file.Path;

/** Run in a child JVM by {@link WarehouseWaitTest}: holds a data directory's warehouse for a while, as a running command does. */
public final class HoldWarehouse {
    private HoldWarehouse() {}

    public static void main(String[] args) throws Exception {
        try (Warehouse warehouse = Warehouse.open(Path.of(args[0]))) {
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
    }
}
