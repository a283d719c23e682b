/**
 * The operator console at {@code /console}: static HTML, CSS and JavaScript modules from
 * {@code classpath:/static/console/}, served without a key (they hold no data: the page asks for an API key and
 * sends it as {@code Authorization: Bearer} to the {@code /v1} endpoints), with headers that keep the page from being
 * framed, sniffed or made to run script from anywhere but here. {@code quench.api.console.enabled=false} turns it off.
 */
package dev.quench.api.console;
