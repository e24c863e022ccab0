package identity_test

import (
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"switchboard/backend/identity"
)

// A Go backend issues an identity token for its signed-in user with
// github.com/golang-jwt/jwt/v5; the server verifies it with the site's
// secret from the sites file.
func Example_issue() {
	secret := []byte("a secret of at least 32 bytes, random in real life")

	// On the site's backend, when the user signs in:
	claims := jwt.MapClaims{
		"sub":  "u-1001",
		"name": "张伟",
		"exp":  time.Now().Add(10 * time.Minute).Unix(),
		"ext":  map[string]any{"vip": true, "order_no": "SO-7"},
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
	tok.Header["kid"] = "shop" // the site's id in the sites file
	signed, err := tok.SignedString(secret)
	if err != nil {
		panic(err)
	}

	// On the Switchboard server:
	v, _ := identity.NewVerifier([]identity.Site{{ID: "shop", HS256Secret: secret}}, nil)
	id, err := v.Verify(signed)
	fmt.Println(id.UserID, id.Fields["name"], id.Fields["vip"], id.Fields["order_no"], err)
	// Output: u-1001 张伟 true SO-7 <nil>
}
