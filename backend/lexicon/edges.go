package lexicon

// edges are the edges of a pointer-free trie: its nodes are numbers, the root 0,
// and its edges one map from node and label to child, integers only, which the
// garbage collector marks as one object without looking inside.
type edges struct {
	m     map[uint64]uint32 // node<<32 | label → child
	nodes uint32            // nodes so far, the root included
}

func newEdges() edges { return edges{m: make(map[uint64]uint32), nodes: 1} }

// child is node's child under label, if any.
func (e *edges) child(node, label uint32) (uint32, bool) {
	c, ok := e.m[uint64(node)<<32|uint64(label)]
	return c, ok
}

// add returns node's child under label, made if there was none.
func (e *edges) add(node, label uint32) uint32 {
	key := uint64(node)<<32 | uint64(label)
	c, ok := e.m[key]
	if !ok {
		c = e.nodes
		e.nodes++
		e.m[key] = c
	}
	return c
}
