package org.xnb.netback.link;

import java.time.Duration;
import org.xnb.vnic.tap.CommandResult;
import org.xnb.vnic.tap.Commands;

/** Whether a Linux bridge of a given name exists in the daemon's network namespace. */
@FunctionalInterface
public interface HostBridges {

    boolean exists(String name);

    /** Asks iproute2: {@code ip -o -d link show dev NAME} names the device's kind ("bridge ..."). */
    HostBridges IPROUTE = name -> {
        if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
            return false;
        }
        CommandResult r = Commands.run(Duration.ofSeconds(10), "ip", "-o", "-d", "link", "show", "dev", name);
        return r.ok() && r.stdout().contains(" bridge ");
    };

    HostBridges NONE = name -> false;
}
