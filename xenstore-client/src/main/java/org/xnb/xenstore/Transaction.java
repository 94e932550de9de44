package org.xnb.xenstore;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The store as seen inside one transaction: every request carries this transaction's id in
 * the header's {@code tx_id}. Obtained from {@link XenstoreClient#transaction} (which commits
 * and retries) or {@link XenstoreClient#inTransaction(int)} (manual start and end).
 */
public final class Transaction {
    private final XenstoreClient client;
    private final int id;

    Transaction(XenstoreClient client, int id) {
        this.client = client;
        this.id = id;
    }

    /** The transaction id as xenstored assigned it. */
    public int id() {
        return id;
    }

    public byte[] read(String path) {
        return client.await(client.readAsync(id, path));
    }

    public String readString(String path) {
        return XenstoreClient.utf8(read(path));
    }

    public void write(String path, byte[] value) {
        client.await(client.writeAsync(id, path, value));
    }

    public void write(String path, String value) {
        write(path, value.getBytes(StandardCharsets.UTF_8));
    }

    public List<String> directory(String path) {
        return client.await(client.directoryAsync(id, path));
    }

    public boolean exists(String path) {
        return client.await(client.existsAsync(id, path));
    }

    public void mkdir(String path) {
        client.await(client.mkdirAsync(id, path));
    }

    public void rm(String path) {
        client.await(client.rmAsync(id, path));
    }

    public XsPermissions getPermissions(String path) {
        return client.await(client.getPermissionsAsync(id, path));
    }

    public void setPermissions(String path, XsPermissions perms) {
        client.await(client.setPermissionsAsync(id, path, perms));
    }

    /** Commits ("T"); throws XenstoreException EAGAIN on conflict. */
    public void commit() {
        client.transactionEnd(id, true);
    }

    /** Aborts ("F"). */
    public void abort() {
        client.transactionEnd(id, false);
    }
}
