"""The classic image-resize consumer the wolke processor is compared with: one Python process reads MinIO
upload notifications from Kafka, downloads each image, makes the renditions with Pillow and uploads them.

Same contract as apps/processor: renditions land in PROCESSED_BUCKET under
`<source key without extension>/<name>.<format>` with the source ETag in the `source-etag` metadata; offsets
are committed after each polled batch is done. Written the way such consumers usually are (synchronous,
one message at a time), without a dead-letter topic: a failure is logged and skipped.
"""
import io
import json
import os
import posixpath
import signal
import sys
from urllib.parse import unquote_plus, urlparse

from kafka import KafkaConsumer
from minio import Minio
from PIL import Image, ImageOps

FORMATS = {"jpeg": ("JPEG", "image/jpeg"), "webp": ("WEBP", "image/webp"), "png": ("PNG", "image/png")}


def rendition_key(key: str, rendition: dict) -> str:
    stem, _ = posixpath.splitext(key)
    return f"{stem}/{rendition['name']}.{rendition['format']}"


def encoder_options(rendition: dict) -> dict:
    """The rendition's quality and effort as Pillow names them (libwebp's method is sharp's effort)."""
    options = {}
    if "quality" in rendition:
        options["quality"] = rendition["quality"]
    if "effort" in rendition and rendition["format"] == "webp":
        options["method"] = rendition["effort"]
    return options


def process_object(client: Minio, bucket: str, key: str, renditions: list, processed: str) -> None:
    stat = client.stat_object(bucket, key)
    response = client.get_object(bucket, key)
    try:
        data = response.read()
    finally:
        response.close()
        response.release_conn()
    source = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
    for rendition in renditions:
        image = source.copy()
        image.thumbnail((rendition["size"], rendition["size"]))
        pil_format, content_type = FORMATS[rendition["format"]]
        body = io.BytesIO()
        image.save(body, pil_format, **encoder_options(rendition))
        size = body.tell()
        body.seek(0)
        client.put_object(
            processed,
            rendition_key(key, rendition),
            body,
            size,
            content_type=content_type,
            metadata={"source-etag": stat.etag},
        )


def main() -> None:
    endpoint = urlparse(os.environ["MINIO_ENDPOINT"])
    client = Minio(
        endpoint.netloc,
        access_key=os.environ["MINIO_ACCESS_KEY"],
        secret_key=os.environ["MINIO_SECRET_KEY"],
        secure=endpoint.scheme == "https",
        region=os.environ.get("MINIO_REGION", "us-east-1"),
    )
    processed = os.environ.get("PROCESSED_BUCKET", "processed")
    renditions = json.loads(os.environ["RENDITIONS"])
    consumer = KafkaConsumer(
        os.environ.get("SOURCE_TOPIC", "minio-events"),
        bootstrap_servers=os.environ["KAFKA_BROKERS"].split(","),
        group_id=os.environ.get("GROUP_ID", "resize-consumer"),
        client_id=os.environ.get("KAFKA_CLIENT_ID", "resize-consumer"),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(json.dumps({"msg": "processing"}), flush=True)
    while running:
        batch = consumer.poll(timeout_ms=200)
        for messages in batch.values():
            for message in messages:
                try:
                    event = json.loads(message.value)
                except ValueError as error:
                    print(json.dumps({"msg": "malformed event", "error": str(error)}), file=sys.stderr, flush=True)
                    continue
                for record in event.get("Records", []):
                    if not record.get("eventName", "").startswith("s3:ObjectCreated:"):
                        continue
                    bucket = record["s3"]["bucket"]["name"]
                    key = unquote_plus(record["s3"]["object"]["key"])
                    if bucket == processed:
                        continue
                    try:
                        process_object(client, bucket, key, renditions, processed)
                    except Exception as error:  # noqa: BLE001 - a classic consumer logs and moves on
                        print(json.dumps({"msg": "failed", "key": key, "error": str(error)}), file=sys.stderr, flush=True)
        if batch:
            consumer.commit()
    consumer.close()


if __name__ == "__main__":
    main()
