"""Reading images from ECR without pulling them: the one reader that the doctor, the contents
and derive share (manifest, config, each layer scanned once, the layer cache)."""
