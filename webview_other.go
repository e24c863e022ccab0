//go:build !linux

package main

// tuneWebView leaves the web view as it is: WebView2 and WKWebView take no
// options from the environment.
func tuneWebView() {}
