/** Creating tasks closed loop: the creates figure, and the queued tasks the cancel steps need. */
package dev.quench.benchmark.creates;
