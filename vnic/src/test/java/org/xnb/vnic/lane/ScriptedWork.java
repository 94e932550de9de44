package org.xnb.vnic.lane;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** A {@link LaneWork} that returns scripted batch sizes (then 0) and records the notification calls. */
final class ScriptedWork implements LaneWork {
    final ArrayDeque<Integer> batches = new ArrayDeque<>();
    final ArrayDeque<Boolean> armAnswers = new ArrayDeque<>();
    final List<String> calls = new ArrayList<>();
    LaneCounters counters;
    int bytesPerPacket = 100;
    int doWorkCalls;

    ScriptedWork batches(int... sizes) {
        for (int s : sizes) {
            batches.add(s);
        }
        return this;
    }

    @Override
    public int doWork() {
        doWorkCalls++;
        Integer n = batches.poll();
        int packets = n == null ? 0 : n;
        if (packets > 0 && counters != null) {
            counters.in(packets, (long) packets * bytesPerPacket);
        }
        return packets;
    }

    @Override
    public boolean armNotifications() {
        calls.add("arm");
        Boolean pending = armAnswers.poll();
        return pending != null && pending;
    }

    @Override
    public void suppressNotifications() {
        calls.add("suppress");
    }

    @Override
    public void onWake() {
        calls.add("wake");
    }
}
