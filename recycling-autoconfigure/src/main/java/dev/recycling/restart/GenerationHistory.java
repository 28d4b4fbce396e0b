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

	private final Deque<StartFailure> startFailures = new ArrayDeque<>();

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

	synchronized void addStartFailure(StartFailure failure) {
		this.startFailures.addLast(failure);
		trim();
	}

	private void trim() {
		while (this.records.size() > this.capacity) {
			this.records.removeFirst();
		}
		while (this.startFailures.size() > this.capacity) {
			this.startFailures.removeFirst();
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
	 * Return the last failed starts of a next generation, oldest first.
	 * @return a snapshot of the failures
	 */
	public synchronized List<StartFailure> startFailures() {
		return List.copyOf(new ArrayList<>(this.startFailures));
	}

	/**
	 * Return the records, oldest first.
	 * @return a snapshot of the records
	 */
	public synchronized List<GenerationRecord> records() {
		return List.copyOf(new ArrayList<>(this.records));
	}

}
