/**
 * Browser probes for Perpetual: {@link dev.perpetual.selenium.Browser @Browser} gives tests a real headless
 * Chromium from a pool bound to the launcher session, {@link dev.perpetual.selenium.BrowserNetwork} the requests
 * it made (through WebDriver BiDi), and {@link dev.perpetual.selenium.AnalyticsProbe} a page with the real
 * analytics.js.
 */
package dev.perpetual.selenium;
