package org.xnb.tools.admin;

import java.util.List;
import java.util.Map;

/**
 * The answer to one {@link AdminRequest}, one JSON object per line: {@code ok} with the rows (each a
 * map from a column name such as {@code LINK} to its text), or not {@code ok} with the error line.
 *
 * <pre>
 * {"ok":true,"error":null,"rows":[{"LINK":"vif1.0","OVER":"xnb0",...}]}
 * {"ok":false,"error":"no link 'vif9.0'; the connected vifs are: vif1.0, vif2.0","rows":[]}
 * </pre>
 */
public record AdminResponse(boolean ok, String error, List<Map<String, String>> rows) {

    public static AdminResponse rows(List<Map<String, String>> rows) {
        return new AdminResponse(true, null, rows);
    }

    public static AdminResponse error(String message) {
        return new AdminResponse(false, message, List.of());
    }
}
