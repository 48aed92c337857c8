package io.cairn.client.discovery;

/**
 * A service in a listing.
 *
 * @param name      the service's name
 * @param instances how many instances it has
 * @param healthy   how many of them are UP
 */
public record ServiceSummary(String name, int instances, int healthy) {
}
