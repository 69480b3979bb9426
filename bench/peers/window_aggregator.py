"""The Python peer of the wolke aggregator: reads sensor events from Kafka, averages count windows per sensor
and writes one result per full window, with kafka-python (the usual way such a consumer is written).

Same contract as apps/aggregator: events `{id, sensor, value, ts}` on EVENTS_TOPIC, results
`{sensor, avg, count, windowEnd}` keyed by sensor on RESULTS_TOPIC, windows of WINDOW_SIZE per sensor and
partition; results are flushed before the offsets of a polled batch are committed (at-least-once).
For the benchmark it prints JSON lines: the time its first batch arrived, its progress every 10,000 events,
and the time it had read EXPECT events.
"""
import json
import os
import signal
import time

from kafka import KafkaConsumer, KafkaProducer


def parse_event(value: bytes):
    try:
        event = json.loads(value)
    except ValueError:
        return None
    if not isinstance(event, dict) or set(event) != {"id", "sensor", "value", "ts"}:
        return None
    if not isinstance(event["sensor"], str) or not event["sensor"] or not isinstance(event["id"], str):
        return None
    if isinstance(event["value"], bool) or not isinstance(event["value"], (int, float)):
        return None
    if isinstance(event["ts"], bool) or not isinstance(event["ts"], int) or event["ts"] < 0:
        return None
    return event


def main() -> None:
    brokers = os.environ["KAFKA_BROKERS"].split(",")
    window_size = int(os.environ.get("WINDOW_SIZE", "20"))
    results_topic = os.environ.get("RESULTS_TOPIC", "results")
    expect = int(os.environ.get("EXPECT", "0"))
    consumer = KafkaConsumer(
        os.environ.get("EVENTS_TOPIC", "events"),
        bootstrap_servers=brokers,
        group_id=os.environ.get("GROUP_ID", "aggregator"),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = KafkaProducer(bootstrap_servers=brokers, acks="all")
    windows = {}  # (partition, sensor) -> [sum, count]
    consumed = 0
    reported = 0
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while running:
        batch = consumer.poll(timeout_ms=200)
        if not batch:
            continue
        if consumed == 0:
            print(json.dumps({"first": time.time()}), flush=True)
        for partition, messages in batch.items():
            for message in messages:
                event = parse_event(message.value)
                consumed += 1
                if event is None:
                    continue
                window = windows.setdefault((partition.partition, event["sensor"]), [0.0, 0])
                window[0] += event["value"]
                window[1] += 1
                if window[1] == window_size:
                    result = {"sensor": event["sensor"], "avg": window[0] / window[1], "count": window[1], "windowEnd": event["ts"]}
                    producer.send(results_topic, key=event["sensor"].encode(), value=json.dumps(result).encode())
                    del windows[(partition.partition, event["sensor"])]
        if consumed - reported >= 10_000:
            print(json.dumps({"progress": consumed, "at": time.time()}), flush=True)
            reported = consumed
        if expect and consumed >= expect:
            print(json.dumps({"done": time.time(), "consumed": consumed}), flush=True)
            expect = 0
        producer.flush()
        consumer.commit()
    producer.close()
    consumer.close()


if __name__ == "__main__":
    main()
