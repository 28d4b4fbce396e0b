package dev.recycling.analytics.flush;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, once the application's beans exist, whether analytics run at all: an
 * application that never records usage gets no tables, no polling, no threads and no log
 * lines from them. One that does gets its tables created (as
 * {@code recycling.analytics.initialize-schema} says), the processor and the periodic
 * flush; if its database has no tables and none were created, it gets one error with the
 * fix, counts are kept for the shutdown flush (which spills them), and nothing polls.
 *
 * @author recycling team
 */
public final class AnalyticsActivation {

	private static final Logger logger = LoggerFactory.getLogger(AnalyticsActivation.class);

	private final BooleanSupplier inUse;

	private final Runnable initializeSchema;

	private final Supplier<@Nullable String> missingTables;

	private final String fix;

	private volatile boolean active;

	/**
	 * Create an activation.
	 * @param inUse whether the application records usage (or asked for analytics)
	 * @param initializeSchema creates the tables, as configured
	 * @param missingTables the database product when the tables are missing, else
	 * {@code null}
	 * @param fix what to do about missing tables, for the message
	 */
	public AnalyticsActivation(BooleanSupplier inUse, Runnable initializeSchema,
			Supplier<@Nullable String> missingTables, String fix) {
		this.inUse = inUse;
		this.initializeSchema = initializeSchema;
		this.missingTables = missingTables;
		this.fix = fix;
	}

	/**
	 * Decide, once: called after the application's beans are created and before anything
	 * starts.
	 */
	public void decide() {
		if (!this.inUse.getAsBoolean()) {
			logger.debug("Analytics not in use: nothing records usage, so no tables, polling or flush");
			return;
		}
		this.initializeSchema.run();
		String missingIn = this.missingTables.get();
		if (missingIn != null) {
			logger.error("The analytics tables do not exist in this {} database, so recorded usage cannot be "
					+ "applied: {} Until then counts are kept in memory and spilled to disk at shutdown, and "
					+ "nothing polls the database.", missingIn, this.fix);
			return;
		}
		this.active = true;
	}

	/**
	 * Return whether the processor and the periodic flush run.
	 * @return whether analytics are active
	 */
	public boolean isActive() {
		return this.active;
	}

}
