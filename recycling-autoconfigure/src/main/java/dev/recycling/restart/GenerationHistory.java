package dev.recycling.restart;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The records of the last generations, oldest first, bounded.
 *
 * @author recycling team
 */
public final class GenerationHistory {

	private int capacity;

	private final Deque<GenerationRecord> records = new ArrayDeque<>();

	/**
	 * Create a history keeping at most {@code capacity} records.
	 * @param capacity the number of records kept
	 */
	public GenerationHistory(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive: " + capacity);
		}
		this.capacity = capacity;
	}

	synchronized void add(GenerationRecord record) {
		this.records.addLast(record);
		trim();
	}

	synchronized void resize(int capacity) {
		if (capacity < 1) {
			throw new IllegalArgumentException("capacity must be positive: " + capacity);
		}
		this.capacity = capacity;
		trim();
	}

	private void trim() {
		while (this.records.size() > this.capacity) {
			this.records.removeFirst();
		}
	}

	synchronized void completeRestart(int generation, Duration restartDuration) {
		GenerationRecord last = this.records.peekLast();
		if (last != null && last.generation() == generation) {
			this.records.removeLast();
			this.records.addLast(last.withRestartDuration(restartDuration));
		}
	}

	/**
	 * Return the records, oldest first.
	 * @return a snapshot of the records
	 */
	public synchronized List<GenerationRecord> records() {
		return List.copyOf(new ArrayList<>(this.records));
	}

}
