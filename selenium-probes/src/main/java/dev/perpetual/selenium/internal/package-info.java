/** The browser pool, its processes, BiDi capture and failure artifacts behind {@code @Browser}; not an API. */
package dev.perpetual.selenium.internal;
