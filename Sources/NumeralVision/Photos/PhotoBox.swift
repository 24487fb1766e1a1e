/// An axis-aligned rectangle in a picture's own pixels (x right, y down), as reported to users.
public struct PhotoBox: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var area: Int { width * height }

    /// The smallest box holding both.
    public func union(_ other: PhotoBox) -> PhotoBox {
        let minX = min(x, other.x), minY = min(y, other.y)
        return PhotoBox(x: minX, y: minY, width: max(maxX, other.maxX) - minX, height: max(maxY, other.maxY) - minY)
    }

    /// Intersection over union, 0 when they do not overlap.
    public func overlap(_ other: PhotoBox) -> Double {
        let w = min(maxX, other.maxX) - max(x, other.x), h = min(maxY, other.maxY) - max(y, other.y)
        guard w > 0, h > 0 else { return 0 }
        let inter = Double(w * h)
        return inter / (Double(area + other.area) - inter)
    }

    /// `[x, y, width, height]`, the JSON form.
    public var array: [Int] { [x, y, width, height] }

    public var description: String { "\(x),\(y) \(width)x\(height)" }
}

/// One digit found in a photo: where it is and the 28×28 model input made from it.
public struct PhotoDigit: Equatable, Sendable {
    public var box: PhotoBox
    public var input: GrayImage

    public init(box: PhotoBox, input: GrayImage) {
        self.box = box
        self.input = input
    }
}

/// Digits that stand together on one line of writing, left to right: one number.
public struct PhotoNumber: Equatable, Sendable {
    public var digits: [PhotoDigit]

    public init(digits: [PhotoDigit]) { self.digits = digits }

    public var box: PhotoBox {
        digits.dropFirst().reduce(digits.first?.box ?? PhotoBox(x: 0, y: 0, width: 0, height: 0)) { $0.union($1.box) }
    }
}
