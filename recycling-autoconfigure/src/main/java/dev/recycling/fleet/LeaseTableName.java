package dev.recycling.fleet;

import java.util.regex.Pattern;

/**
 * What the table of a fleet's leases may be called: a plain name, since it goes into SQL
 * as it is. Kept apart from {@link FleetLeases} so that properties can be checked without
 * ShedLock on the class path.
 *
 * @author recycling team
 */
public final class LeaseTableName {

	private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

	private LeaseTableName() {
	}

	/**
	 * Return whether a name can be used as the table of the leases: letters, digits and
	 * underscores, at most 63 characters, not starting with a digit.
	 * @param table the name
	 * @return whether it is one
	 */
	public static boolean isValid(String table) {
		return PLAIN.matcher(table).matches();
	}

}
