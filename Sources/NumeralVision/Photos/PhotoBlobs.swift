/// 8-connected blobs of a binary ink mask, with what the photo reader needs to judge them.
struct PhotoBlobs {
    struct Blob {
        var label: Int32
        var minX: Int, minY: Int, maxX: Int, maxY: Int
        var pixels: Int
        var width: Int { maxX - minX + 1 }
        var height: Int { maxY - minY + 1 }

        mutating func absorb(_ other: Blob) {
            minX = min(minX, other.minX); minY = min(minY, other.minY)
            maxX = max(maxX, other.maxX); maxY = max(maxY, other.maxY)
            pixels += other.pixels
        }
    }

    /// Per pixel: 0 = background, otherwise the 1-based label of its blob.
    var labels: [Int32]
    var blobs: [Blob]

    init(mask: [UInt8], width: Int, height: Int) {
        var labels = [Int32](repeating: 0, count: width * height)
        var blobs: [Blob] = []
        var stack: [Int] = []
        mask.withUnsafeBufferPointer { m in
            labels.withUnsafeMutableBufferPointer { label in
                for start in 0..<m.count where m[start] != 0 && label[start] == 0 {
                    let id = Int32(blobs.count + 1)
                    var blob = Blob(label: id, minX: start % width, minY: start / width,
                                    maxX: start % width, maxY: start / width, pixels: 0)
                    label[start] = id
                    stack.append(start)
                    while let index = stack.popLast() {
                        let x = index % width, y = index / width
                        if x < blob.minX { blob.minX = x }
                        if x > blob.maxX { blob.maxX = x }
                        if y < blob.minY { blob.minY = y }
                        if y > blob.maxY { blob.maxY = y }
                        blob.pixels += 1
                        for ny in max(0, y - 1)...min(height - 1, y + 1) {
                            for nx in max(0, x - 1)...min(width - 1, x + 1) {
                                let n = ny * width + nx
                                if m[n] != 0 && label[n] == 0 {
                                    label[n] = id
                                    stack.append(n)
                                }
                            }
                        }
                    }
                    blobs.append(blob)
                }
            }
        }
        self.labels = labels
        self.blobs = blobs
    }
}
