/**
 * Service configuration: one YAML or JSON file per service bound to an immutable record, with
 * defaults from the record and command-line overrides on top ({@link
 * io.axivon.common.config.ConfigLoader}).
 */
package io.axivon.common.config;
