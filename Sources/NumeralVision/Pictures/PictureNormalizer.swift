/// Turns pictures of digits (scans, photos, bitmaps, any polarity) into MNIST-style model input.
///
/// Two steps, separately callable: `inkImage` removes colour, transparency, polarity and paper,
/// leaving ink intensities; `normalize` crops the ink, scales its longer side to 20 px and centres
/// its mass in a 28x28 field, exactly as MNIST itself was prepared. `segment` splits a row of
/// digits into one ink image per digit first.
public struct PictureNormalizer: Sendable, Equatable {
    /// Side of the square field the model reads.
    public var canvasSide: Int
    /// Side of the box the digit's longer dimension is scaled to.
    public var digitBox: Int
    /// Where the ink's centre of mass is placed, in 0-based canvas pixel coordinates. (14, 14) is
    /// MNIST's measured mean (not the geometric 13.5): half a pixel off costs a lot of overlap.
    public var centerOfMass: (x: Float, y: Float)
    /// Ink above this value counts when finding blobs and the digit's bounding box.
    public var inkCutoff: Float
    /// Blobs lighter than this fraction of the heaviest one are specks and are ignored.
    public var speckFraction: Float
    /// Ink/paper contrast below this means the picture is blank.
    public var minimumContrast: Float
    /// Strokes thinner than this (pixels, at the final size) are thickened to `typicalStrokeWidth`.
    /// MNIST's thinnest 1% measure about 1.4 px and its median 2.5 px; 0 disables thickening.
    public var minimumStrokeWidth: Float
    public var typicalStrokeWidth: Float
    /// Pictures are averaged down to at most this many pixels on their longer side before any
    /// other work, which bounds time and memory for huge scans.
    public var maxWorkingSide: Int

    public init(canvasSide: Int = 28, digitBox: Int = 20, centerOfMass: (x: Float, y: Float) = (14, 14),
                inkCutoff: Float = 0.2, speckFraction: Float = 0.03, minimumContrast: Float = 0.15,
                minimumStrokeWidth: Float = 1.5, typicalStrokeWidth: Float = 2.3, maxWorkingSide: Int = 1024) {
        self.canvasSide = canvasSide
        self.digitBox = digitBox
        self.centerOfMass = centerOfMass
        self.inkCutoff = inkCutoff
        self.speckFraction = speckFraction
        self.minimumContrast = minimumContrast
        self.minimumStrokeWidth = minimumStrokeWidth
        self.typicalStrokeWidth = typicalStrokeWidth
        self.maxWorkingSide = maxWorkingSide
    }

    public static func == (a: PictureNormalizer, b: PictureNormalizer) -> Bool {
        a.canvasSide == b.canvasSide && a.digitBox == b.digitBox && a.centerOfMass == b.centerOfMass
            && a.inkCutoff == b.inkCutoff && a.speckFraction == b.speckFraction && a.minimumContrast == b.minimumContrast
            && a.minimumStrokeWidth == b.minimumStrokeWidth && a.typicalStrokeWidth == b.typicalStrokeWidth
            && a.maxWorkingSide == b.maxWorkingSide
    }

    // MARK: ink

    /// Ink intensities (1 = ink, 0 = paper) of a decoded picture, whatever its polarity and colours.
    /// Pictures larger than `maxWorkingSide` are averaged down to it first (the result is then
    /// smaller than the picture). A blank picture yields an all-zero image, which `normalize`
    /// reports as `PictureError.noInk`.
    public func inkImage(from image: DecodedImage) -> GrayImage {
        let luminance = PictureInk.luminance(image, maxSide: maxWorkingSide)
        let (width, height) = (luminance.width, luminance.height)
        let darkOnLight = PictureInk.isDarkOnLight(luminance.pixels, width: width, height: height)
        var ink = luminance.pixels
        if darkOnLight {
            for i in ink.indices { ink[i] = 1 - ink[i] }
        }
        let levels = PictureInk.levels(ink)
        guard levels.contrast >= minimumContrast else { return GrayImage(width: width, height: height) }
        let scale = 1 / max(levels.contrast, 1e-3)
        let paper = levels.paper
        ink.withUnsafeMutableBufferPointer { values in
            for i in 0..<values.count { values[i] = min(1, max(0, (values[i] - paper) * scale)) }
        }
        return GrayImage(width: width, height: height, pixels: ink)
    }

    /// Model inputs for every digit in a picture, left to right: ink, segmentation, normalization.
    /// Throws `PictureError.noInk` when the picture holds no digit.
    public func modelInputs(from image: DecodedImage) throws -> [GrayImage] {
        let ink = inkImage(from: image)
        let digits = segment(ink)
        guard !digits.isEmpty else { throw PictureError.noInk(width: image.width, height: image.height) }
        guard digits.count <= DrawingSegmenter.maxDigits else {
            throw VisionError.tooManyDigits(count: digits.count, limit: DrawingSegmenter.maxDigits)
        }
        return try digits.map(normalize)
    }

    // MARK: normalize

    /// MNIST-style `canvasSide x canvasSide` input from an ink image (any size).
    public func normalize(_ ink: GrayImage) throws -> GrayImage {
        let clean = sanitized(ink)
        let found = PictureComponents(clean, cutoff: inkCutoff)
        guard let heaviest = found.components.map(\.mass).max(), heaviest > 0 else {
            throw PictureError.noInk(width: ink.width, height: ink.height)
        }
        let kept = found.components.filter { $0.mass >= heaviest * speckFraction }
        var box = kept[0]
        for blob in kept.dropFirst() { box.absorb(blob) }
        // Specks inside the digit's box are rare; outside it they would only move the box, so
        // cropping to the kept blobs' box is what removes them.
        let digit = masked(clean, labels: found.labels, keep: Set(kept.map(\.label)), box: box)
        return place(digit)
    }

    /// Scales an ink image cropped to its digit so its longer side is `digitBox`, then centres it.
    ///
    /// The digit first goes through a working size four times the final one, where its stroke
    /// width can be measured: pictures drawn with a much thinner pen than MNIST's (fine-liner on a
    /// large scan) are thickened there, because after shrinking they would be faint hairlines the
    /// model has never seen.
    private func place(_ digit: GrayImage) -> GrayImage {
        let work = 4
        let (workWidth, workHeight) = boxSize(width: digit.width, height: digit.height, box: digitBox * work)
        var working = GrayImage(width: workWidth, height: workHeight,
                                pixels: PictureResample.resize(digit, x0: 0, y0: 0, width: digit.width, height: digit.height,
                                                               outWidth: workWidth, outHeight: workHeight))
        stretchToFullIntensity(&working.pixels)
        if let radius = thickeningRadius(working, workScale: Float(work)) {
            working = thickened(working, radius: radius)
        }
        let (outWidth, outHeight) = boxSize(width: working.width, height: working.height, box: digitBox)
        let resized = PictureResample.resize(working, x0: 0, y0: 0, width: working.width, height: working.height,
                                             outWidth: outWidth, outHeight: outHeight)
        let canvas = PictureResample.place(resized, width: outWidth, height: outHeight, side: canvasSide,
                                           targetX: centerOfMass.x, targetY: centerOfMass.y)
        return GrayImage(width: canvasSide, height: canvasSide, pixels: canvas)
    }

    /// Size with the longer side `box` and the aspect ratio kept (at least 1 px).
    private func boxSize(width: Int, height: Int, box: Int) -> (Int, Int) {
        let scale = Float(box) / Float(max(width, height))
        return (max(1, min(box, Int((Float(width) * scale).rounded()))),
                max(1, min(box, Int((Float(height) * scale).rounded()))))
    }

    /// Faint strokes (a thin pen averaged down, a pale pencil) are brought to full intensity.
    private func stretchToFullIntensity(_ pixels: inout [Float]) {
        guard let peak = pixels.max(), peak > 0, peak < 1 else { return }
        let gain = 1 / peak
        for i in pixels.indices { pixels[i] *= gain }
    }

    /// How far to dilate strokes thinner than MNIST's thinnest, or nil if they are thick enough.
    private func thickeningRadius(_ image: GrayImage, workScale: Float) -> Int? {
        guard minimumStrokeWidth > 0,
              let strokeWidth = PictureStroke.estimateWidth(image.pixels, width: image.width, height: image.height),
              strokeWidth < minimumStrokeWidth * workScale else { return nil }
        return max(1, Int(((typicalStrokeWidth * workScale - strokeWidth) / 2).rounded()))
    }

    /// The image dilated by `radius`, on a canvas grown to hold the wider strokes and cropped
    /// back to them, so the thickened digit again fills the box exactly like an MNIST digit.
    private func thickened(_ image: GrayImage, radius: Int) -> GrayImage {
        let width = image.width + 2 * radius, height = image.height + 2 * radius
        var pixels = [Float](repeating: 0, count: width * height)
        for y in 0..<image.height {
            for x in 0..<image.width { pixels[(y + radius) * width + x + radius] = image.pixels[y * image.width + x] }
        }
        PictureStroke.thicken(&pixels, width: width, height: height, radius: radius)
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            for x in 0..<width where pixels[y * width + x] > inkCutoff {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= minX, maxY >= minY else { return GrayImage(width: width, height: height, pixels: pixels) }
        let cropWidth = maxX - minX + 1, cropHeight = maxY - minY + 1
        var cropped = [Float](repeating: 0, count: cropWidth * cropHeight)
        for y in 0..<cropHeight {
            for x in 0..<cropWidth { cropped[y * cropWidth + x] = pixels[(y + minY) * width + x + minX] }
        }
        return GrayImage(width: cropWidth, height: cropHeight, pixels: cropped)
    }

    // MARK: segment

    /// Splits several digits side by side into one ink image each, ordered left to right.
    /// Blobs that overlap strongly in x are one digit (a '5' whose bar is detached, a broken '4');
    /// specks are dropped. A blank picture gives an empty array.
    public func segment(_ ink: GrayImage) -> [GrayImage] {
        segmentWithBoxes(ink).map(\.image)
    }

    /// Every digit in a picture, left to right: its model input and its box in the picture's own
    /// pixels (the part of the picture its ink covers), as the photo reader reports boxes.
    /// Throws `PictureError.noInk` when the picture holds no digit.
    public func digits(from image: DecodedImage) throws -> [PhotoDigit] {
        let ink = inkImage(from: image)
        let parts = segmentWithBoxes(ink)
        guard !parts.isEmpty else { throw PictureError.noInk(width: image.width, height: image.height) }
        guard parts.count <= DrawingSegmenter.maxDigits else {
            throw VisionError.tooManyDigits(count: parts.count, limit: DrawingSegmenter.maxDigits)
        }
        // The ink image is smaller than the picture when the picture was averaged down.
        let scaleX = Double(image.width) / Double(max(1, ink.width)), scaleY = Double(image.height) / Double(max(1, ink.height))
        return try parts.map { part in
            let b = part.box
            let x = Int((Double(b.minX) * scaleX).rounded(.down)), y = Int((Double(b.minY) * scaleY).rounded(.down))
            let maxX = min(image.width, Int((Double(b.maxX + 1) * scaleX).rounded(.up)))
            let maxY = min(image.height, Int((Double(b.maxY + 1) * scaleY).rounded(.up)))
            return PhotoDigit(box: PhotoBox(x: x, y: y, width: maxX - x, height: maxY - y), input: try normalize(part.image))
        }
    }

    /// `segment`, with each digit's box in the ink image's pixels.
    private func segmentWithBoxes(_ ink: GrayImage) -> [(image: GrayImage, box: PictureComponent)] {
        let clean = sanitized(ink)
        let found = PictureComponents(clean, cutoff: inkCutoff)
        guard let heaviest = found.components.map(\.mass).max(), heaviest > 0 else { return [] }
        let blobs = found.components.filter { $0.mass >= heaviest * speckFraction }.sorted { $0.minX < $1.minX }
        if Self.fillsSquareBox(blobs, width: clean.width, height: clean.height) {
            // A box-stretched scan: one digit stretched to fill a square, whose thresholded strokes
            // may have broken into pieces side by side. Those pieces are one digit, not a number.
            var box = blobs[0]
            for blob in blobs.dropFirst() { box.absorb(blob) }
            return [(masked(clean, labels: found.labels, keep: Set(blobs.map(\.label)), box: box), box)]
        }
        // Sweep left to right, joining a blob to the digit before it when they overlap in x by at
        // least half of the narrower one. Sorted by left edge, one pass handles every chain of
        // overlaps, so noisy pictures with thousands of blobs stay linear.
        var groups: [(box: PictureComponent, labels: [Int32])] = []
        for blob in blobs {
            if let last = groups.last {
                let overlap = min(last.box.maxX, blob.maxX) - max(last.box.minX, blob.minX) + 1
                if overlap > 0, Float(overlap) >= 0.5 * Float(min(last.box.width, blob.width)) {
                    groups[groups.count - 1].box.absorb(blob)
                    groups[groups.count - 1].labels.append(blob.label)
                    continue
                }
            }
            groups.append((blob, [blob.label]))
        }
        return groups.map { (masked(clean, labels: found.labels, keep: Set($0.labels), box: $0.box), $0.box) }
    }

    /// Whether the ink spans (nearly) the whole of a square picture: how box-stretched scans
    /// (a digit stretched to fill a 16×16 square, then enlarged) look. A tight crop of a number
    /// is wider than tall, so it is not mistaken for one.
    static func fillsSquareBox(_ blobs: [PictureComponent], width: Int, height: Int) -> Bool {
        guard blobs.count > 1, let first = blobs.first, width >= 8, height >= 8,
              abs(width - height) * 10 <= max(width, height) else { return false }
        var box = first
        for blob in blobs.dropFirst() { box.absorb(blob) }
        return box.width * 10 >= width * 9 && (box.maxY - box.minY + 1) * 10 >= height * 9
    }

    // MARK: helpers

    /// Values forced into 0...1 with NaN as paper, so hostile input cannot poison the arithmetic.
    private func sanitized(_ image: GrayImage) -> GrayImage {
        guard image.pixels.contains(where: { !($0 >= 0 && $0 <= 1) }) else { return image }
        return GrayImage(width: image.width, height: image.height,
                         pixels: image.pixels.map { $0.isNaN ? 0 : min(1, max(0, $0)) })
    }

    /// The part of `image` inside `box`, keeping faint unlabelled edge pixels but erasing pixels
    /// that belong to blobs other than `keep` (neighbouring digits, specks).
    private func masked(_ image: GrayImage, labels: [Int32], keep: Set<Int32>, box: PictureComponent) -> GrayImage {
        // A flat lookup table: this runs once per pixel of the box, where hashing would dominate.
        var kept = [Bool](repeating: false, count: (labels.max().map(Int.init) ?? 0) + 1)
        kept[0] = true
        for label in keep where Int(label) < kept.count { kept[Int(label)] = true }
        let width = box.maxX - box.minX + 1, height = box.maxY - box.minY + 1
        var pixels = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = (box.minY + y) * image.width + box.minX
            for x in 0..<width where kept[Int(labels[row + x])] {
                pixels[y * width + x] = image.pixels[row + x]
            }
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }
}
