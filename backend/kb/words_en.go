package kb

import "strings"

// enCommonWords are common English words of four letters or more that the
// speller keeps even when the knowledge base does not use them: everyday
// chat around a shop's questions, so that a right word is not "corrected"
// into a knowledge base word one or two letters away ("like" into "lite",
// "just" into "must", "thing" into "think").
var enCommonWords = func() map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(enCommonWordList) {
		m[w] = true
	}
	return m
}()

const enCommonWordList = `
able about above absolutely accept across actually added adding after afternoon again
against aged ago agree ahead alone along already alright also although always among amount
angry another answer answered anybody anymore anyone anything anyway anywhere apart
appear apple apply area around arrive asap aside asked asking attach attached august
available avoid away awesome awful baby back backwards badly bank banks based basic
basically because become been before began begin behind being believe below beside
best better between beyond bigger birthday black blue board body book books both bottle
bottom bought brand bread break breakfast bring bringing broke brother brought brown
build building built busy butter button buying cake call called calling came camera
cannot card care careful carry case cash cause center centre certain certainly chair
chance charge cheap check checked child children choose chose chosen city class clean
clear clearly click close closed clothes coffee cold colleague come comes coming company
complete completely computer confused contact continue cook cool copy corner correct
cost could couldnt count country couple course cover crazy cream cute daily damn dark
data date daughter days dead deal dear decide decided deep definitely deliver desk
didnt different difficult dinner direct directly dirty does doesnt doing dollar dollars
done dont door double down dress drink drive driver drop during each earlier early easy
either else email empty ended english enough enter entire even evening ever every
everybody everyone everything exactly example except excuse expect expected expensive
explain extra face fact fair fall family fast father favorite favourite fear feel
feeling fell felt field fill film final finally find fine finger finish fire first fish
five fixed flat flight floor flower follow food foot force forever forget forgot form
forward found four free fresh friday friend friends from front fruit full fully funny
game garden gave general gets getting girl girlfriend give given gives giving glad glass
goes going gone good great green ground group guess guys hair half hand hang happen
happened happens happy hard hate have havent having head hear heard heart heavy hello
help here high hold holiday home honest honestly hope horrible hospital hour hours house
however huge hundred hungry hurry husband idea ideas important inside instead interest
into isnt itself january join july june just keep kept kids kind kinda kitchen knew know
known lady land large last late later laugh least leave left legs less letter life light
like liked likes line list listen little live lives living long longer look looked
looking looks lose lost lots love lovely lunch made mail main make makes making many
march mark market matter maybe mean means meant meet meeting message middle might mind
minute minutes miss mistake moment monday money month months more morning most mother
move moved much music must myself name near nearly need needed needs never next nice
night nobody none normal nothing notice number often okay once only open orange other
others otherwise ought outside over page paid pain paper parents part party pass past
people perfect perhaps person phone pick picked picture piece pink place plan play please
plus point pool poor possible pretty price probably problem problems pull purple push
quick quickly quite rain rather read ready real really reason received recent recently
remember right ring road room round rule running sad safe said same saturday save saw
school second seem seems seen sell send sent seriously seven several shall share sheet
shirt shoe shoes short should shouldnt show side sign simple since single sister sitting
size sleep slow small smart some somebody someone something sometimes somewhere song soon
sorry sort sound speak special spend spent stand start started state stay still stop
story straight strange street strong stuck student stuff such sugar summer sunday super
suppose sure surprise table take taken takes taking talk talked talking tall taste
teacher tell than thank thanks that thats their them themselves then there these they
thing things think third this those though thought three through thursday till time
times tired today together told tomorrow tonight took total touch town tried trip
trouble true trust truth trying tuesday turn twice under understand unless until upon
upset used useful usual usually very visit wait waited waiting wake walk wall want wanted
wants warm wash waste watch water ways wear weather wednesday week weekend weeks weird
well went were what whatever when where whether which while white whole whose wife will
window wish within without woman women wonder wondering wont word words work worked
working works world worried worry worse worst worth would wouldnt write wrong wrote yeah
year years yellow yesterday young your yours yourself
account actor address adult advice afraid against agent airport album alarm alien aliens
allow almost animal animals answer anniversary apartment apps april arms army arrow artist
aunt autumn average baby bacon bake baked ball banana band bath bathroom battery beach
bear beard beautiful beauty beef beer bell belt bench bike bill bird birds bitcoin bite
bitter blanket blind blood blow boat boil boiled bone bones boot boots boring born boss
bowl boxes brain brave breath bridge bright brush bucket budget burger burn business
buyer cable cafe cage camp candle candy capital captain carbon career carrot cartoon castle
catch cattle ceiling cell chain chart chat cheese chef chess chest chicken chips chocolate
church cinema circle citizen claim climb clock cloud clouds club coach coast coat code
coin college color colour comedy comic cook cooked cooking cookie corn cotton cough cousin
cream crime crowd crown culture cupboard curry customer dance dancing danger daughter
death debt decade degree dentist desert dessert diet dinosaur dish doctor doll dragon
drama dream dreams drugs drum duck dust eagle earn earth east eating economy education
effect eggs election electric elephant elevator energy engine enjoy event exam exercise
eyes fail famous farm farmer fashion father fence fever fight figure finance fishing
flag flour flowers flute flying football forest fork fridge frog funeral furniture galaxy
gift ginger goal gold golf government grade grammar grandma grandpa grape grass guitar
habit hall hammer happiness harbor harbour hate health heat hello helmet hero hill history
hobby honey horse hotel hunger hunt hurt husband jacket jeans jewelry joke jokes journey
juice jump jungle kettle king kiss knee knife knock ladder lake lamp language laptop lawn
lazy leader leaf learn lemon lesson library lion lips liquid loan lock lucky machine magic
magnet manager mango maths meal meat medicine melon memory metal milk mirror model monkey
moon mountain mouse mouth movie movies muscle museum nail nation nature neck needle nephew
news newspaper noodle noodles north nose nurse ocean office onion opinion orange oven owner
paint painting palace pancake pancakes panda pants parade park parrot pasta peace peach
peanut pear pencil pepper piano pilot pizza planet plant plants plate player pocket poem
poet police politics potato potatoes prince princess prison puzzle queen rabbit race radio
rain rainbow recipe rent rice river robot rock roof rope rose salad salary salt sand
science scissors score screen screenshot season seed shark sheep shell ship shop shower
sick silver sing singer sink skin skirt snake snow soap soccer socks soft soldier soup
south space spider spoon sport sports spring square stamp star stars steak stock stocks
stone storm stove strawberry student study subway sugar suit sunny sweater sweet swim
swimming tail taxi team teeth temperature tennis tent theater theatre thief throat ticket
tiger toast toilet tomato tooth tower train travel tree trees truck turtle turtles uncle
universe vacation valley village violin voice volcano vote waiter wallet weather wedding
west wheel wind wine winter wolf wood wool yoga zebra bake cake president weekend
`
