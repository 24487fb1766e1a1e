/// Finds and prepares the handwritten digits in a photo of paper: a phone picture or a webcam
/// frame, with uneven light, shadows, ruled or squared paper, a strip of desk, tilt and noise.
///
/// Steps: luminance (at most `maxWorkingSide` px); the paper's brightness estimated and divided
/// out (`PhotoBackground`); ink = pixels clearly darker than the paper's noise; ruled and squared
/// lines erased (`PaperLines`); blobs that touch the picture's edge (desk, paper edges), are huge,
/// solid or flat, or are specks, dropped; blobs stacked in x joined into digits; digits grouped
/// into lines of writing and numbers, left to right; each digit cut out and normalized like MNIST
/// by `PictureNormalizer`. A picture with no digit gives no numbers (never a "0").
public struct PhotoReader: Sendable {
    /// Pictures are averaged down to this longer side first (boxes are reported in the original's pixels).
    public var maxWorkingSide = 800
    /// Cell size (px) of the paper-brightness grid, and the closing radius in cells.
    public var backgroundBlock = 8
    public var backgroundRadius = 2
    /// Ink must be at least this much darker than the paper (fraction of its brightness)...
    public var minimumInkDarkness: Float = 0.16
    /// ...and this many noise standard deviations above the paper's level.
    public var noiseSigmas: Float = 4
    /// A digit is at least this tall, and at most this share of the picture's height.
    public var minimumDigitHeight = 16
    public var maximumDigitHeightShare: Float = 0.7
    /// Blobs smaller than this many pixels are specks.
    public var minimumBlobPixels = 10
    /// Within a line, parts shorter than this share of its tallest digit are dropped.
    public var relativeHeight: Float = 0.4
    /// Candidates whose mean ink is paler than this share of the darkest candidate's are dropped.
    public var relativeDarkness: Float = 0.55
    /// A pen's stroke cores are at least this much darker than the paper (a printed rule is paler).
    public var minimumPeakDarkness: Float = 0.3
    /// Strokes are at least this thick on average (pixels): thinner "digits" are hairline residue.
    public var minimumStrokeWidth: Float = 1.8
    /// A gap wider than this many digit heights starts a new number.
    public var numberGap: Float = 1.2
    /// ...and this many times the line's median gap between neighbouring digits (lines of 3 or more).
    public var relativeNumberGap: Float = 2.5
    /// At most this many digits are read from one picture.
    public var maximumDigits = 64
    var lines = PaperLines(maxSlope: 0.14, slopeStep: 0.01, maxThickness: 5, minLengthShare: 0.25, band: 2, slack: 1)
    /// The paper's own edges against a darker desk leave a band of "ink" up to a block wide
    /// along the whole picture: found and erased the same way, as long thick lines.
    var edges = PaperLines(maxSlope: 0.14, slopeStep: 0.01, maxThickness: 16, minLengthShare: 0.45, band: 10, slack: Int(UInt16.max))
    public var normalizer = PictureNormalizer()
    /// Close-up reading: digits may fill the frame and touch its borders. Border blobs are kept
    /// unless they run along a border (a desk, a paper edge, a shadow: more than
    /// `maximumBorderContact` of that side) or are solid; no cap on a digit's share of the picture.
    public var closeUp = false
    public var maximumBorderContact: Float = 0.25
    /// Ruled and squared paper's lines are found and erased. A tight crop's straight strokes (a
    /// 1, a 7's bar, a 9's stem) look like rules, so readers without this are tried too.
    public var erasesRules = true

    public init() {}

    /// The numbers in the picture, top to bottom, each left to right; empty if there is none.
    public func read(_ image: DecodedImage) -> [PhotoNumber] {
        let lum = PictureInk.luminance(image, maxSide: maxWorkingSide)
        return Self.scaled(read(luminance: lum), from: lum, to: image)
    }

    /// The picture read the three ways a recognizer chooses among, sharing the work they have in
    /// common (luminance, paper brightness, ink mask, rule erasure, blobs): this reader as it
    /// is, its close-up reading, and its close-up reading without rule and edge erasure (a tight
    /// crop's straight strokes look like rules). Boxes in the picture's pixels.
    public func readings(_ image: DecodedImage) -> (whole: [PhotoNumber], closeUp: [PhotoNumber], closeUpKeepingRules: [PhotoNumber]) {
        let lum = PictureInk.luminance(image, maxSide: maxWorkingSide)
        guard let ink = InkMask(reader: self, luminance: lum) else { return ([], [], []) }
        var erased = ink
        let rulesFound = erasesRules ? erased.eraseRules(lines: lines, edges: edges) : 0
        let blobs = PhotoBlobs(mask: erased.mask, width: lum.width, height: lum.height)
        var whole = self, closeUp = self
        whole.closeUp = false
        closeUp.closeUp = true
        // The whole and the close-up reading share their mask and blobs: a digit made of the same
        // blobs is cut out and normalized once, and when both keep the same candidate digits
        // (nothing touches the border, nothing is very tall: most camera frames) the close-up
        // reading is the whole one, not worked out again.
        var cut: [DigitKey: PhotoDigit] = [:]
        let wholeCandidates = whole.candidates(erased, blobs)
        let closeCandidates = closeUp.candidates(erased, blobs)
        let wholeNumbers = whole.numbers(wholeCandidates, erased, blobs, cache: &cut)
        let closeNumbers = Self.keys(closeCandidates) == Self.keys(wholeCandidates)
            ? wholeNumbers : closeUp.numbers(closeCandidates, erased, blobs, cache: &cut)
        // Without any rule or paper edge found, the mask kept its rules is the same mask.
        let keepingRules: [PhotoNumber]
        if rulesFound == 0 {
            keepingRules = closeNumbers
        } else {
            let unerasedBlobs = PhotoBlobs(mask: ink.mask, width: lum.width, height: lum.height)
            var unerasedCut: [DigitKey: PhotoDigit] = [:]
            keepingRules = closeUp.numbers(closeUp.candidates(ink, unerasedBlobs), ink, unerasedBlobs, cache: &unerasedCut)
        }
        return (Self.scaled(wholeNumbers, from: lum, to: image),
                Self.scaled(closeNumbers, from: lum, to: image),
                Self.scaled(keepingRules, from: lum, to: image))
    }

    static func keys(_ candidates: [(box: PhotoBlobs.Blob, labels: [Int32])]) -> [DigitKey] {
        candidates.map { DigitKey(minX: $0.box.minX, minY: $0.box.minY, maxX: $0.box.maxX, maxY: $0.box.maxY, labels: $0.labels.sorted()) }
    }

    /// The same as `read`, on luminance (0 = black, 1 = white) at working size; boxes in its pixels.
    public func read(luminance lum: GrayImage) -> [PhotoNumber] {
        guard var ink = InkMask(reader: self, luminance: lum) else { return [] }
        // Thin rules first: the edge pass's wide band would take a pen stroke lying along a rule with it.
        if erasesRules { ink.eraseRules(lines: lines, edges: edges) }
        var cut: [DigitKey: PhotoDigit] = [:]
        let blobs = PhotoBlobs(mask: ink.mask, width: lum.width, height: lum.height)
        return numbers(candidates(ink, blobs), ink, blobs, cache: &cut)
    }

    /// Boxes found at working size, in the picture's own pixels.
    static func scaled(_ numbers: [PhotoNumber], from lum: GrayImage, to image: DecodedImage) -> [PhotoNumber] {
        let scaleX = Double(image.width) / Double(lum.width), scaleY = Double(image.height) / Double(lum.height)
        return numbers.map { number in
            PhotoNumber(digits: number.digits.map { digit in
                let b = digit.box
                let x = Int((Double(b.x) * scaleX).rounded(.down)), y = Int((Double(b.y) * scaleY).rounded(.down))
                let maxX = Int((Double(b.maxX) * scaleX).rounded(.up)), maxY = Int((Double(b.maxY) * scaleY).rounded(.up))
                return PhotoDigit(box: PhotoBox(x: x, y: y, width: min(image.width, maxX) - x, height: min(image.height, maxY) - y),
                                  input: digit.input)
            })
        }
    }

    /// The ink of a photo at working size: darkness relative to the local paper, and the mask
    /// of pixels clearly darker than the paper's noise.
    struct InkMask {
        var darkness: [Float]
        var mask: [UInt8]
        let width: Int, height: Int
        /// Darkness at which a digit's cut-out starts (half way from the paper to the ink threshold).
        let floor: Float

        init?(reader: PhotoReader, luminance lum: GrayImage) {
            width = lum.width
            height = lum.height
            guard width >= 8, height >= 8 else { return nil }
            let (darknessMap, brightness) = PhotoBackground.darkness(lum, block: reader.backgroundBlock, radius: reader.backgroundRadius)
            darkness = darknessMap
            let (paper, noise) = PhotoReader.paperLevel(darkness)
            let threshold = paper + max(reader.minimumInkDarkness, reader.noiseSigmas * noise)
            // In dark surroundings (a desk, deep shadow) the same relative darkness is a much smaller
            // drop in light, mostly noise and texture: ink must also be darker in absolute terms.
            let brightest = PhotoReader.quantile(brightness, 0.95)
            let absolute = 0.5 * threshold * brightest
            mask = [UInt8](repeating: 0, count: width * height)
            for i in 0..<mask.count where darkness[i] > threshold && darkness[i] * brightness[i] > absolute { mask[i] = 1 }
            floor = paper + 0.5 * (threshold - paper)
        }

        /// Erases ruled and squared paper's lines, then the paper's edges (thin rules first: the
        /// edge pass's wide band would take a pen stroke lying along a rule with it).
        /// Returns how many lines were found and erased (0: the mask and darkness are unchanged).
        @discardableResult
        mutating func eraseRules(lines: PaperLines, edges: PaperLines) -> Int {
            lines.erase(mask: &mask, darkness: &darkness, width: width, height: height)
                + edges.erase(mask: &mask, darkness: &darkness, width: width, height: height)
        }
    }

    /// The numbers made of `found`'s blobs: candidates filtered, joined into digits, grouped into
    /// lines and numbers, each digit cut out and normalized.
    /// A digit candidate of one blob labelling: its box and its blobs.
    struct DigitKey: Hashable {
        var minX: Int, minY: Int, maxX: Int, maxY: Int
        var labels: [Int32]
    }

    /// The candidate digits: plausible blobs joined into digits. What follows depends on nothing else.
    private func candidates(_ ink: InkMask, _ found: PhotoBlobs) -> [(box: PhotoBlobs.Blob, labels: [Int32])] {
        let width = ink.width, height = ink.height
        let contact = closeUp ? Self.borderContact(labels: found.labels, blobCount: found.blobs.count, width: width, height: height) : []
        let blobs = found.blobs.filter { plausiblePart($0, width: width, height: height, contact: contact) }
        return joinedIntoDigits(blobs, imageWidth: width, imageHeight: height)
    }

    private func numbers(_ candidates: [(box: PhotoBlobs.Blob, labels: [Int32])], _ ink: InkMask, _ found: PhotoBlobs,
                         cache: inout [DigitKey: PhotoDigit]) -> [PhotoNumber] {
        let width = ink.width, height = ink.height
        let digits = darkEnough(candidates, labels: found.labels, darkness: ink.darkness, width: width)
        let numbers = groupedIntoNumbers(digits, height: height)
        var count = 0
        return numbers.compactMap { number -> PhotoNumber? in
            let kept = number.prefix(max(0, maximumDigits - count))
            count += kept.count
            let read = kept.compactMap { digit -> PhotoDigit? in
                let key = DigitKey(minX: digit.box.minX, minY: digit.box.minY, maxX: digit.box.maxX, maxY: digit.box.maxY,
                                   labels: digit.labels.sorted())
                if let done = cache[key] { return done }
                let cut = inkImage(digit, labels: found.labels, darkness: ink.darkness, width: width, floor: ink.floor)
                guard let input = try? normalizer.normalize(cut) else { return nil }
                let made = PhotoDigit(box: PhotoBox(x: digit.box.minX, y: digit.box.minY, width: digit.box.width, height: digit.box.height),
                                      input: input)
                cache[key] = made
                return made
            }
            return read.isEmpty ? nil : PhotoNumber(digits: read)
        }
    }

    /// Median darkness (the paper, which covers most of a photo) and a robust noise estimate.
    static func paperLevel(_ darkness: [Float]) -> (level: Float, noise: Float) {
        var histogram = [Int](repeating: 0, count: 1024)
        // Darkness is in 0...1; anything else (NaN included) counts as the last bin.
        histogram.withUnsafeMutableBufferPointer { h in
            darkness.withUnsafeBufferPointer { d in
                for v in d { h[v >= 0 && v < 1 ? Int(v * 1023) : 1023] &+= 1 }
            }
        }
        func quantile(_ q: Double) -> Float {
            let target = Int(Double(darkness.count) * q)
            var seen = 0
            for (i, n) in histogram.enumerated() {
                seen += n
                if seen > target { return Float(i) / 1023 }
            }
            return 1
        }
        let median = quantile(0.5)
        // Paper noise is symmetric around the median; the upper side holds the ink, so the
        // lower half's spread (median - 16th percentile ≈ one sigma) measures it.
        return (median, max(0.005, median - quantile(0.16)))
    }

    /// The `q` quantile of values in 0...1 (to 1/256).
    static func quantile(_ values: [Float], _ q: Double) -> Float {
        var histogram = [Int](repeating: 0, count: 256)
        histogram.withUnsafeMutableBufferPointer { h in
            values.withUnsafeBufferPointer { d in
                for v in d { h[v > 0 ? (v < 1 ? Int(v * 255) : 255) : 0] &+= 1 }
            }
        }
        let target = Int(Double(values.count) * q)
        var seen = 0
        for (i, n) in histogram.enumerated() {
            seen += n
            if seen > target { return Float(i) / 255 }
        }
        return 1
    }

    /// A blob that can be part of a digit: not a speck, not touching the picture's edge (desk,
    /// paper edges, a hand), not huge, not a flat bar or a solid patch.
    private func plausiblePart(_ b: PhotoBlobs.Blob, width: Int, height: Int, contact: [(horizontal: Int, vertical: Int)]) -> Bool {
        guard b.pixels >= minimumBlobPixels else { return false }
        let touches = b.minX == 0 || b.minY == 0 || b.maxX == width - 1 || b.maxY == height - 1
        if closeUp {
            if touches {
                let c = contact[Int(b.label) - 1]
                if Float(c.horizontal) > maximumBorderContact * Float(width) || Float(c.vertical) > maximumBorderContact * Float(height) {
                    return false
                }
                // Solid border blobs are desk or shadow, whatever their contact.
                if Float(b.pixels) > 0.6 * Float(b.width * b.height) && min(b.width, b.height) > minimumDigitHeight { return false }
            }
        } else {
            if touches { return false }
            if Float(b.height) > maximumDigitHeightShare * Float(height) || b.width > width / 2 { return false }
        }
        // No digit is more than about twice as wide as it is tall: such blobs are rule or edge
        // remnants, shadow wedges, underlines.
        if Float(b.width) > 2.2 * Float(b.height) && b.width >= minimumDigitHeight { return false }
        // A solid, roughly square patch is a shadow or a smudge; a bold "1" is solid but long.
        let fill = Float(b.pixels) / Float(b.width * b.height)
        if fill > 0.8 && min(b.width, b.height) > minimumDigitHeight && 2 * min(b.width, b.height) > max(b.width, b.height) {
            return false
        }
        return true
    }

    /// Blobs that overlap strongly in x and are close in y are one digit (a 5's loose bar, a 4
    /// in two strokes, a stroke cut by an erased rule).
    private func joinedIntoDigits(_ blobs: [PhotoBlobs.Blob], imageWidth: Int, imageHeight: Int)
        -> [(box: PhotoBlobs.Blob, labels: [Int32])] {
        var groups = blobs.sorted { $0.pixels > $1.pixels }.prefix(4 * maximumDigits).map { (box: $0, labels: [$0.label]) }
        var merged = true
        while merged {
            merged = false
            outer: for i in groups.indices {
                for j in groups.indices where j > i {
                    let a = groups[i].box, b = groups[j].box
                    let overlapX = min(a.maxX, b.maxX) - max(a.minX, b.minX) + 1
                    guard overlapX > 0, Float(overlapX) >= 0.5 * Float(min(a.width, b.width)) else { continue }
                    let gapY = max(a.minY, b.minY) - min(a.maxY, b.maxY)
                    guard Float(gapY) <= 0.35 * Float(max(a.height, b.height)) else { continue }
                    groups[i].box.absorb(b)
                    groups[i].labels += groups[j].labels
                    groups.remove(at: j)
                    merged = true
                    break outer
                }
            }
        }
        // Joined parts can make something no digit is: a paper edge in pieces, a long smudge.
        return groups.filter { group in
            let b = group.box
            return (b.height >= minimumDigitHeight || b.width >= minimumDigitHeight)
                && Float(b.pixels) >= minimumStrokeWidth * Float(max(b.width, b.height))
                && (closeUp || (Float(b.height) <= maximumDigitHeightShare * Float(imageHeight) && b.width <= imageWidth / 2))
        }
    }

    /// Per blob (index = label - 1): how many of its pixels lie on the top or bottom border row
    /// (`horizontal`) and on the left or right border column (`vertical`).
    static func borderContact(labels: [Int32], blobCount: Int, width: Int, height: Int) -> [(horizontal: Int, vertical: Int)] {
        var contact = [(horizontal: Int, vertical: Int)](repeating: (0, 0), count: blobCount)
        for x in 0..<width {
            for y in [0, height - 1] where labels[y * width + x] != 0 { contact[Int(labels[y * width + x]) - 1].horizontal += 1 }
        }
        for y in 0..<height {
            for x in [0, width - 1] where labels[y * width + x] != 0 { contact[Int(labels[y * width + x]) - 1].vertical += 1 }
        }
        return contact
    }

    /// Drops candidates much paler than the darkest one: what is left of a printed rule or grid,
    /// a faint shadow edge, desk grain, paper texture. The pen that wrote the digits is the
    /// darkest thing on the paper; a candidate's darkness is its 90th percentile (its stroke
    /// cores), so a thin, blurred pen line is not judged by its soft edges.
    private func darkEnough(_ digits: [(box: PhotoBlobs.Blob, labels: [Int32])], labels: [Int32], darkness: [Float],
                            width: Int) -> [(box: PhotoBlobs.Blob, labels: [Int32])] {
        let peaks = digits.map { digit -> Float in
            let own = Set(digit.labels)
            var values: [Float] = []
            for y in digit.box.minY...digit.box.maxY {
                for x in digit.box.minX...digit.box.maxX where own.contains(labels[y * width + x]) {
                    values.append(darkness[y * width + x])
                }
            }
            values.sort()
            return values.isEmpty ? 0 : values[values.count * 9 / 10]
        }
        let darkest = peaks.max() ?? 0
        return zip(digits, peaks).filter { $0.1 >= max(minimumPeakDarkness, relativeDarkness * darkest) }.map(\.0)
    }

    /// Digits on the same line of writing (overlapping vertically), split into numbers at wide gaps.
    private func groupedIntoNumbers(_ digits: [(box: PhotoBlobs.Blob, labels: [Int32])], height: Int)
        -> [[(box: PhotoBlobs.Blob, labels: [Int32])]] {
        typealias Digit = (box: PhotoBlobs.Blob, labels: [Int32])
        var rows: [(minY: Int, maxY: Int, digits: [Digit])] = []
        for digit in digits.sorted(by: { $0.box.height > $1.box.height }) {
            let b = digit.box
            if let index = rows.firstIndex(where: { row in
                let overlap = min(row.maxY, b.maxY) - max(row.minY, b.minY) + 1
                return Float(overlap) >= 0.5 * Float(min(b.height, row.maxY - row.minY + 1))
            }) {
                rows[index].digits.append(digit)
                rows[index].minY = min(rows[index].minY, b.minY)
                rows[index].maxY = max(rows[index].maxY, b.maxY)
            } else {
                rows.append((b.minY, b.maxY, [digit]))
            }
        }
        var numbers: [[Digit]] = []
        let tallestOverall = digits.map(\.box.height).max() ?? 0
        for row in rows.sorted(by: { $0.minY < $1.minY }) {
            // Parts much shorter than the line's tallest digit, or than the picture's, are not digits.
            let tallest = max(row.digits.map(\.box.height).max() ?? 0, Int(Float(tallestOverall) * 0.75))
            let kept = row.digits
                .filter { Float($0.box.height) >= relativeHeight * Float(tallest) && $0.box.height >= minimumDigitHeight }
                .sorted { $0.box.minX < $1.box.minX }
            guard !kept.isEmpty else { continue }
            let heights = kept.map(\.box.height).sorted()
            let typical = Float(heights[heights.count / 2])
            // Some people space their digits widely: a gap splits the line only when it is also
            // much wider than the line's usual gap between digits.
            let gaps = zip(kept, kept.dropFirst()).map { Float($1.box.minX - $0.box.maxX) }.sorted()
            let usualGap = gaps.count >= 2 ? gaps[(gaps.count - 1) / 2] : 0
            var current: [Digit] = [kept[0]]
            for digit in kept.dropFirst() {
                let gap = digit.box.minX - current[current.count - 1].box.maxX
                if Float(gap) > max(numberGap * typical, relativeNumberGap * usualGap) {
                    numbers.append(current)
                    current = []
                }
                current.append(digit)
            }
            numbers.append(current)
        }
        return numbers
    }

    /// The digit's ink (0...1) cut out of the darkness map: its own blobs and the faint pixels
    /// around them, other blobs erased, the paper's level subtracted and the ink stretched.
    private func inkImage(_ digit: (box: PhotoBlobs.Blob, labels: [Int32]), labels: [Int32], darkness: [Float],
                          width: Int, floor: Float) -> GrayImage {
        let b = digit.box
        let pad = 1
        let x0 = max(0, b.minX - pad), y0 = max(0, b.minY - pad)
        let x1 = min(width - 1, b.maxX + pad), y1 = min(labels.count / width - 1, b.maxY + pad)
        let w = x1 - x0 + 1, h = y1 - y0 + 1
        let own = Set(digit.labels)
        var values = [Float](repeating: 0, count: w * h)
        var inkValues: [Float] = []
        for y in 0..<h {
            for x in 0..<w {
                let i = (y0 + y) * width + x0 + x
                let label = labels[i]
                if label != 0 && !own.contains(label) { continue }
                values[y * w + x] = darkness[i]
                if label != 0 { inkValues.append(darkness[i]) }
            }
        }
        inkValues.sort()
        let solid = inkValues.isEmpty ? 1 : max(floor + 0.05, inkValues[inkValues.count * 3 / 4])
        let scale = 1 / (solid - floor)
        for i in values.indices { values[i] = min(1, max(0, (values[i] - floor) * scale)) }
        return GrayImage(width: w, height: h, pixels: values)
    }
}
