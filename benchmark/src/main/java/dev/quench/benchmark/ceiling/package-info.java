/**
 * The http-ceiling section: the reads' client against a bare Spring MVC application in this JVM that returns a
 * task's JSON, so the read ceiling can be read as a share of what the stack itself allows on this machine, now.
 */
package dev.quench.benchmark.ceiling;
