/**
 * What this worker tells the rest of the system it serves: each handler's capability and input schema, announced on
 * the compacted capabilities topic when the worker starts, so the api can refuse bad input at the door.
 */
package dev.quench.worker.capabilities;
