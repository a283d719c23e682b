/**
 * The quench worker: a Spring Boot application that owns partitions of the log and runs tasks. Its settings live
 * under {@code quench.worker.*} and {@code quench.topics.*}; the ownership model itself is in
 * {@link dev.quench.worker.ownership}, the handler SPI in {@link dev.quench.worker.spi}.
 */
package dev.quench.worker;
