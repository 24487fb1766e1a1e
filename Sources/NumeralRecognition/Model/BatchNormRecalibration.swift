import NumeralEngine

/// Re-estimates the batch-norm running statistics on clean (unaugmented) images. Training updates
/// them from augmented batches, whose statistics differ from the clean digits the model sees in
/// use; measured on a small model, that mismatch alone cost about half a point of MNIST accuracy
/// after a fine-tune that changed no weight.
public enum BatchNormRecalibration {
    /// Runs training-mode forward passes (which update the running averages, momentum 0.1) over
    /// `passes` batches spread across `images`, without any backward pass. Returns false if cancelled.
    @discardableResult
    public static func run(_ model: DigitModel, on images: LabeledImages, batchSize: Int = 256, passes: Int = 40,
                           shouldCancel: () -> Bool = { false }) -> Bool {
        guard images.count > 0 else { return true }
        defer { model.weightsDidChange() }
        let n = min(batchSize, images.count)
        let input = Tensor(shape: [n, 1, 28, 28])
        let stride = max(1, (images.count - n) / max(passes - 1, 1))
        return images.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return true }
            for pass in 0..<passes {
                if shouldCancel() { return false }
                let start = min(pass * stride, images.count - n)
                input.data.update(from: base + start * LabeledImages.pixelsPerImage, count: n * LabeledImages.pixelsPerImage)
                _ = model.network.forward(input, training: true)
            }
            return true
        }
    }
}
