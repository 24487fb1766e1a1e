/// One 8-connected blob of ink pixels.
struct PictureComponent {
    var label: Int32
    var minX: Int, minY: Int, maxX: Int, maxY: Int
    var mass: Float
    var pixelCount: Int

    var width: Int { maxX - minX + 1 }

    mutating func absorb(_ other: PictureComponent) {
        minX = min(minX, other.minX); minY = min(minY, other.minY)
        maxX = max(maxX, other.maxX); maxY = max(maxY, other.maxY)
        mass += other.mass
        pixelCount += other.pixelCount
    }
}

/// Connected-component labelling of the pixels whose ink exceeds a cutoff.
struct PictureComponents {
    /// Per pixel: 0 = background, otherwise the 1-based label of its component.
    var labels: [Int32]
    var components: [PictureComponent]

    init(_ image: GrayImage, cutoff: Float) {
        let width = image.width, height = image.height
        var labels = [Int32](repeating: 0, count: width * height)
        var components: [PictureComponent] = []
        var stack: [Int] = []
        image.pixels.withUnsafeBufferPointer { ink in
            labels.withUnsafeMutableBufferPointer { label in
                for start in 0..<ink.count where label[start] == 0 && ink[start] > cutoff {
                    let id = Int32(components.count + 1)
                    var blob = PictureComponent(label: id, minX: start % width, minY: start / width,
                                                maxX: start % width, maxY: start / width, mass: 0, pixelCount: 0)
                    label[start] = id
                    stack.append(start)
                    // Depth-first flood fill with an explicit stack: no recursion depth limits.
                    while let index = stack.popLast() {
                        let x = index % width, y = index / width
                        blob.minX = min(blob.minX, x); blob.maxX = max(blob.maxX, x)
                        blob.minY = min(blob.minY, y); blob.maxY = max(blob.maxY, y)
                        blob.mass += ink[index]
                        blob.pixelCount += 1
                        for ny in max(0, y - 1)...min(height - 1, y + 1) {
                            for nx in max(0, x - 1)...min(width - 1, x + 1) {
                                let n = ny * width + nx
                                if label[n] == 0 && ink[n] > cutoff {
                                    label[n] = id
                                    stack.append(n)
                                }
                            }
                        }
                    }
                    components.append(blob)
                }
            }
        }
        self.labels = labels
        self.components = components
    }
}
