package main

import (
	_ "switchboard/backend/files/s3blobs" // registers s3:
)

// defaultFiles is the files setting's default: the files directory in the
// data directory.
const defaultFiles = "file:"

// filesFlagUsage is the help of --files.
const filesFlagUsage = "where uploaded files are kept: file: (DATA/files), file:PATH, or s3://BUCKET/PREFIX?endpoint=HOST:PORT&region=REGION for S3-compatible storage shared by several nodes (credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)"
