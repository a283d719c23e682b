/** The api over HTTP, as a client sees it. */
package dev.quench.benchmark.http;
