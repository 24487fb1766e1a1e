#!/usr/bin/env python3
"""The kind of Flask + TensorFlow endpoint Numeral replaces, for `benchmarks/serve-wrk.sh` to
measure beside `numeral serve` on the same requests. A benchmark, not part of the product.

The network is the seed apps' Keras MNIST CNN (conv 3x3 x32, ReLU, max-pool, conv 3x3 x64, ReLU,
max-pool, dense 128, ReLU, dropout 0.5, dense 10 with softmax), the one `numeral train --arch
baseline` builds; `--train FILE` fits it for one epoch on the first 12,800 MNIST training images
(enough for sensible answers; speed does not depend on the weights) and saves it. The app:

  POST /api/v1/predictions  body: a drawing (application/json, Numeral's drawing format: strokes
                            rasterized with PIL onto a white canvas of the drawing's size, as the
                            browser's canvas would) or a picture (image/png, image/jpeg)
                            -> 201 {"number", "confidence", "top3", "latency_ms"}

with the seed apps' preprocessing (PIL: grayscale, resize to 28x28, invert when the paper is light,
scale to 0..1) and their log: one CSV line per answer (timestamp, input_type, digit_predicted,
confidence, digit_actual). `NUMERAL_FLASK_CALL=predict` calls `model.predict(x)` as the seed apps
do; `=batch` calls `model.predict_on_batch(x)`, which skips Keras' per-call set-up.

Run: flask dev server `python3 flask_tf_app.py serve --model FILE --port N --log FILE`, or
gunicorn `gunicorn -w 2 'flask_tf_app:create_app()'` with NUMERAL_FLASK_MODEL and NUMERAL_FLASK_LOG set.
"""
import argparse, csv, datetime, gzip, io, os, sys, threading, time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np


def keras_model():
    import tensorflow as tf
    return tf.keras.Sequential([
        tf.keras.Input(shape=(28, 28, 1)),
        tf.keras.layers.Conv2D(32, 3, activation="relu"), tf.keras.layers.MaxPooling2D(),
        tf.keras.layers.Conv2D(64, 3, activation="relu"), tf.keras.layers.MaxPooling2D(), tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(128, activation="relu"), tf.keras.layers.Dropout(0.5),
        tf.keras.layers.Dense(10, activation="softmax")])


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def train(out, mnist_dir, images=12_800):
    model = keras_model()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = read_idx(os.path.join(mnist_dir, "train-images-idx3-ubyte.gz"))[:images].astype("float32")[..., None] / 255
    y = read_idx(os.path.join(mnist_dir, "train-labels-idx1-ubyte.gz"))[:images]
    model.fit(x, y, batch_size=64, epochs=1, verbose=0)
    tx = read_idx(os.path.join(mnist_dir, "t10k-images-idx3-ubyte.gz"))[:2000].astype("float32")[..., None] / 255
    ty = read_idx(os.path.join(mnist_dir, "t10k-labels-idx1-ubyte.gz"))[:2000]
    _, accuracy = model.evaluate(tx, ty, verbose=0)
    model.save(out)
    print(f"trained on {images} MNIST images, {accuracy * 100:.1f} % on 2,000 test images, saved {out}")


def create_app(model_path=None, log_path=None):
    from flask import Flask, jsonify, request
    from PIL import Image, ImageDraw
    import tensorflow as tf

    model = tf.keras.models.load_model(model_path or os.environ["NUMERAL_FLASK_MODEL"])
    call = model.predict_on_batch if os.environ.get("NUMERAL_FLASK_CALL") == "batch" else (lambda x: model.predict(x, verbose=0))
    log_path = log_path or os.environ.get("NUMERAL_FLASK_LOG", "predictions.csv")
    log_lock = threading.Lock()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 4 * 1024 * 1024

    def drawing_image(drawing):
        width, height = int(drawing.get("width", 280)), int(drawing.get("height", 280))
        if not (0 < width <= 4096 and 0 < height <= 4096):
            raise ValueError("bad canvas size")
        image = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(image)
        pen = max(2, round(min(width, height) / 14))
        for stroke in drawing["strokes"]:
            points = [(float(p[0]), float(p[1])) for p in stroke]
            if len(points) == 1:
                x, y = points[0]
                draw.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=0)
            else:
                draw.line(points, fill=0, width=pen, joint="curve")
        return image

    @app.post("/api/v1/predictions")
    def predict():
        start = time.perf_counter()
        try:
            if request.mimetype == "application/json":
                image = drawing_image(request.get_json(force=True))
            elif request.mimetype in ("image/png", "image/jpeg"):
                image = Image.open(io.BytesIO(request.get_data())).convert("L")
            else:
                return jsonify(error="unsupported content type"), 415
        except Exception as error:  # noqa: BLE001 - any bad body is the client's
            return jsonify(error=f"bad request: {error}"), 400
        pixels = np.asarray(image.resize((28, 28), Image.LANCZOS), dtype="float32") / 255
        if pixels.mean() > 0.5:
            pixels = 1 - pixels
        probabilities = np.asarray(call(pixels.reshape(1, 28, 28, 1)))[0]
        order = np.argsort(probabilities)[::-1][:3]
        digit, confidence = int(order[0]), float(probabilities[order[0]])
        with log_lock, open(log_path, "a", newline="") as f:
            csv.writer(f).writerow([datetime.datetime.now().isoformat(), "api", digit, f"{confidence:.4f}", ""])
        return jsonify(number=str(digit), confidence=confidence,
                       top3=[{"digit": int(d), "probability": float(probabilities[d])} for d in order],
                       latency_ms=(time.perf_counter() - start) * 1000), 201

    return app


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("train")
    t.add_argument("--out", required=True)
    t.add_argument("--mnist", required=True, help="folder with MNIST's IDX .gz files")
    s = sub.add_parser("serve")
    s.add_argument("--model", required=True)
    s.add_argument("--port", type=int, default=5000)
    s.add_argument("--log", default="predictions.csv")
    args = parser.parse_args()
    if args.command == "train":
        train(args.out, args.mnist)
    else:
        # Flask's own server, threaded as `flask run` is: how the seed apps are started.
        create_app(args.model, args.log).run(host="127.0.0.1", port=args.port, threaded=True)


if __name__ == "__main__":
    sys.exit(main())
