/**
 * The quench api: a Spring MVC application that authenticates and validates requests, appends them to the requests
 * topic and answers from its replica of the read model. Settings under {@code quench.api.*} and
 * {@code quench.topics.*}.
 */
package dev.quench.api;
