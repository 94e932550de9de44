package org.xnb.tools.config;

/** A persisted etherstub ({@code create-etherstub NAME}). */
public record EtherstubConfig(String name) {
    public EtherstubConfig {
        ConfigNames.check(name, "etherstub name");
    }
}
