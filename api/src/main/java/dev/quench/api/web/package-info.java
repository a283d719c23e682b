/**
 * HTTP edges every endpoint shares: the request id, the body size limit, and one JSON error shape for every 4xx
 * and 5xx, whether it comes from a controller, Spring MVC, a filter or the servlet container.
 */
package dev.quench.api.web;
