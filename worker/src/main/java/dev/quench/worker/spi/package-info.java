/**
 * The service-provider interface for task handlers: implement {@link dev.quench.worker.spi.TaskHandler} as a Spring
 * bean and the worker runs every task of its capability, with progress reporting and cooperative cancellation.
 */
package dev.quench.worker.spi;
