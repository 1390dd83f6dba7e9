// Generated from Django 5.0's common-passwords list (BSD licence; itself from Royce Williams'
// list of the 20,000 most common passwords) and a few dozen common in China, keeping only those our
// other rules would let through: at least eight characters with letters and digits, lower-cased.
// Regenerate by hand; the list changes rarely.

extension PasswordPolicy {
    /// Passwords too common to guard anything; compared lower-cased.
    public static let common: Set<Substring> = Set(list.split(whereSeparator: { $0 == " " || $0 == "\n" }))

    private static let list = """
password1 1q2w3e4r5t 1qaz2wsx myspace1 1q2w3e4r qwerty123 target123 1g2w3e4r zag12wsx gwerty123 1234qwer
iloveyou1 fuckyou1 $hex[3132333435360d] princess1 abcd1234 passer2009 football1 jordan23 12qwaszx 123456789a
q1w2e3r4t5y6 fqrg7cs493 michael1 blink182 qwer1234 babygirl1 q1w2e3r4 j38ifubn iloveyou2 jessica1 fuckyou2
anthony1 trustno1 baseball1 passw0rd asdf1234 qwerty12 charlie1 superman1 asshole1 fuk19600 sunshine1
1qaz2wsx3edc 29rsavoy 3rjs1la7qe 1qazxsw2 hello123 password12 password2 q1w2e3r4t5 brandon1 12345qwert
a123456789 yuantuo2012 sojdlg123aljg matthew1 million2 dpbk1234 pe#5gz29ptzmse zaq12wsx computer1 michelle1
william1 welcome1 jasmine1 liverpool1 chicken1 qwerty12345 pokemon1 butterfly1 123qweasd chelsea1 chocolate1
a838hfid 1234567a freedom1 america1 jennifer1 111222tianya 1234abcd madison1 1password samantha1 elizabeth1
mustang1 password123 diamond1 myspace123 qqww1122 whatever1 super123 1q2w3e4r5t6y a1b2c3d4 n0=acc3ss
spongebob1 friends1 123hfjdk147 123456789q heather1 yankees1 bubbles1 fuckoff1 patrick1 cowboys1 yagjecc826
iw14fi9j melissa1 alexander1 raiders1 qazwsx123 zxcvbnm1 $hex[6b2e3a] a1234567 jackson1 aa123456 newyork1
asdfghjkl1 richard1 monster1 destiny1 blessed1 slipknot1 spiderman1 $hex[3132333435363738390d] beautiful1
3odi15ngxb 421uiopy258 scooter1 1a2b3c4d 123456abc myspace2 12345678a qwert123 forever1 cameron1 metallica1
samsung1 1v7upjw3nt brittany1 babyboy1 qwerty123456 christian1 letmein1 danielle1 gangsta1 arsenal1 uqa9ebw445
iloveyou12 qwerty1234 $hex[3a] sz9kqcctwy dolphin1 abc123456 123qwe123 starwars1 loveyou1 tiffany1 d2xyw89sxj
playboy1 crystal1 password3 jonathan1 nicholas1 angel123 jackass1 rainbow1 poohbear1 123qweasdzxc iloveme1
3d8cubaj2e shannon1 pa55word victoria1 popcorn1 lakers24 steelers1 p3rat54797 $hex[7177657274790d] rockstar1
peaches1 florida1 love4ever thunder1 happy123 abcdefg1 satan666 qwert12345 iverson3 vanessa1 chester1 yourmom1
rush2112 midnight1 12345qwerty love1234 babygurl1 greenday1 charles1 precious1 a12345678 brooklyn1 abc12345
money123 stephanie1 lebron23 soccer12 polniypizdec0211 qq123456 zxcvbnm123 career121 soccer10 password11
ig4abox4 rebecca1 brianna1 qw123321 southside1 getmoney1 ronaldo7 123456aa jesus123 monkey123 chicago1
courtney1 bigdaddy1 awesome1 apple123 gabriel1 gateway1 hollister1 password7 element1 natalie1 fishing1
princess12 w5txn36alfw bitch123 zachary1 antonio1 babygirl12 monkey12 pass1234 chris123 grandma1 twilight1
bitches1 scarface1 abcdefg123 softball1 pumpkin1
$hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0] loveyou2 benjamin1 ladybug1
hallo123 cookies1 fuckyou123 soccer11 123456qwerty password01 2012comeer password5 inuyasha1 rangers1 sabrina1
p@ssw0rd nirvana1 asdasd123 n8zgt5p0shw= $hex[70617373776f72640d] internet1 airforce1 sample123 groupd2013
flowers1 icecream1 vrbgqns997 superstar1 bulldog1 cupcake1 christina1 westside1 qti7zxh18u frankie1
megaparol12345 johncena1 redneck1 jackson5 football12 india123 september1 snickers1 admin123 123456789m
1qaz1qaz 123456789z a1s2d3f4 welcome123 kimberly1 killer123 spencer1 phoenix1 zaq1xsw2 runescape1 jesus777
$hex[617364666a6b6c3a] maxwell1 g9l2d1fzpy babygirl2 savannah1 sweetie1 1234567q $hex[317132773365347235740d]
d1lakiss hotmail1 diwtgm8492 patches1 snowball1 gangster1 green123 trouble1 comeon11 myspace12 james123
winston1 $hex[6173646667686a6b6c3a] mercedes1 soccer13 1234asdf hollywood1 forever21 success1 test1234
trinity1 princess2 onelove1 ihateyou1 cocacola1 1qa2ws3ed soccer123 timothy1 stephen1 georgia1 zxcv1234
orlando1 jacket025 qwerty321 digital1 maryjane1 nothing1 asdqwe123 summer08 paintball1 pokemon123 football2
sexybitch1 sureno13 password4 shithead1 gordon24 qweasd123 bullshit1 qazwsx12 sebastian1 david123 monique1
elephant1 cutiepie1 baseball12 password13 sexygirl1 youbye123 porsche1 buddy123 pa55w0rd allison1 teddybear1
houston1 fuckyou69 vincent1 smoke420 charmed1 chopper1 drummer1 iloveme2 music123 packers1 x4ivyga51f
skittles1 isabella1 christine1 raymond1 bradley1 naruto123 qwe12345 asd123456 iloveyou3 123456789s panther1
barcelona1 6hbf28w791 charlotte1 carolina1 1loveyou hardcore1 fordf150 $hex[313233343536370d] johnson1
tnk0mk16vx password10 $hex[31323334353637380d] h1xp2z2duk baseball2 password0 spartan117 ilovehim1
yfdbufnjh10305070 dragon123 $hex[3132333332310d] tiger123 natasha1 ferrari1 lilwayne1 melanie1
$hex[313233343536373839300d] thebest1 qwerty11 abigail1 pebbles1 aobo2010 genesis1 penguin1 devil666 alabama1
ka_djkhjsy6 montana1 remember1 fuku00198 newport1 1234567890q fuckme69 alejandro1 123qwerty budlight1
asdfasdf1 blondie1 evony192 mexican1 vampire1 darkness1 aaliyah1 kenneth1 $hex[3131313131310d] 12qw23we
wrestling1 daniel123 veronica1 cricket1 summer09 dragons1 azerty123 sk84life formula1 dragon12 dumbass1
passer2011 myspace3 agent007 password9 killer12 alexandra1 teacher1 cheyenne1 monkeys1 dolphins1 miranda1
jeffrey1 england1 wangyut2 lucky123 pitbull1 death666 lollipop1 shadow12 123456asd jamaica1 panthers1
idontknow1 blahblah1 special1 123456789j loverboy1 $hex[3132333132330d] 1myspace 123456qwe abcde12345 dodgers1
1princess justice1 iloveyou7 kitty123 sweetpea1 dalejr88 broncos1 bulldogs1 buttercup1 master123 dominic1
password00 babydoll1 lindsey1 loser123 password8 summer07 candy123 newlife1 lilmama1 lovebug1 password22
$hex[7a6b2e3a] password69 yousuck1 pakistan1 mommy123 shadow123 scorpio1 creative1 sk8ordie atlanta1
ohmnamah23 123456789k molly123 yankees2 bella123 sexymama1 a1b2c3d4e5 barbara1 liberty1 y6p67ftrqj dickhead1
redskins1 october1 warcraft1 kristen1 sammy123 drpepper1 schalke04 lover123 naruto12 christmas1 soccer14
pantera1 5hsu75kpot $hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0]
patricia1 zxasqw12 akopa123 123456789d warrior1 sunflower1 michael2 november1 $hex[31323334350d] porsche911
passion1 1234567890a cookie123 marines1 ocpoook325 gregory1 my2girls michigan1 vikings1 qazwsxedc1 yahoo123
qwe123qwe swordfish1 marissa1 brother1 stanley1 fuckyou12 december1 perfect1 123456789l chargers1 kittycat1
monkey11 hershey1 country1 patriots1 catherine1 kevin123 wow12345 boobies1 google123 pickles1 douglas1
skyline1 aaron431 smile123 123456789p 1q2w3e4r5 caroline1 1zn6fpn01x scoobydoo1 butterfly2 baseball7 warcraft3
ncc1701d micheal1 williams1 1fr2rfq7xl g13916055158 bigdick1 tristan1 1a2s3d4f jordan12 football10 thuglife1
maverick1 apollo13 germany1 password23 alladin79 just4fun $hex[3030303030300d] snowman1 therock1 lindsay1
$hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0]
juggalo1 asdfg123 spiderman3 serenity1 katherine1 ronaldo9 football7 bettyboop1 1q2w3e4r5t6y7u8i9o0p ireland1
brownie1 baseball3 12345qwe bubblegum1 everton1 fucklove1 5xfgs3ii9d 1asshole claudia1 nicole12 myspace7
something1 garfield1 12345abc hotstuff1 marlboro1 superman12 123456789o marshall1 cashmoney1 metal666
longhorns1 loveme123 arizona1 rosebud1 rocky123 superman2 jordan123 cracker1 september2 monkey13
$hex[3636363636360d] black123 pokemon12 slayer666 thumper1 password6 scrappy1 cheater1 baseball11
polniypizdec110211 maximus1 purple12 as123456 skate4life cynthia1 dreamer1 123456as tyler123 shopping1
butthead1 soccer15 maria123 whitney1 1babygirl fashion1 linkedin1 baseball10 colombia1 ashley12 daniel12
ricardo1 preston1 champion1 wildcats1 january1 russell1 lovelove1 nichole1 ashley123 power123 windows1
princess10 pizza123 beatles1 simpsons1 jason123 bananas1 aaaa1111 babygirl13 cutie123 nks230kjs82 12345678q
alejandra1 qwe123456 classof09 love12345 monkey22 boricua1 daddy123 eleven11 987654321a d71lwz9zjs anthony2
nicole123 kaitlyn1 baseball5 derrick1 eastside1 hottie101 garrett1 qweasdzxc123 private1 soccer22 football11
123456qw $hex[313233340d] michael123 nintendo1 sublime1 truelove1 corvette1 phantom1 jumpman23 justin123
pineapple1 puppies1 valerie1 logitech1 baller23 peter123 babycakes1 hannah123 asshole2 australia1 anderson1
drowssap1 fireman1 iloveyou22 iloveyou13 college1 caitlin1 maprchem56458 angelica1 sarah123 purple123
sunshine2 breanna1 fuckyou3 1a2b3c4d5e lasvegas1 password21 sooners1 master12 hawaii50 fernando1 detroit1
f00tball iloveyou14 angelina1 myspace11 cookie12 disturbed1 q123456789 123456789b blue1234 unicorn1 francis1
football9 $hex[3535353535350d] 123456ab soccer17 blink123 asdf3423 spiderman2 bethany1 mitchell1 5532361cnjqrf
r2d2c3po austin316 $hex[3635343332310d] katrina1 buttons1 london12 daisy123 secret666 1million qdujvyg5sxa
cassidy1 carebear1 cheese123 iloveyou11 iloveyou4 football3 sexyboy1 eh1k9oh335 a1a2a3a4 jellybean1 princess13
holiday1 charlie2 hamster1 princess11 hunting1 america10 qazwsxedc123 crazy123 phillip1 iloveyou123 kissmyass1
flower123 justin12 letmein2 cuddles1 uvgx8f8232 adriana1 mexico13 virginia1 passwort1 pk3x7w9w britney1
thegame1 football5 franklin1 jeremiah1 nokia6300 james007 jessica123 goldfish1 hannah12 makayla1 wordpass1
iloveyou5 kennedy1 nicolas1 hunter12 ji394su3 naughty1 baseball13 kristin1 skate123 babygirl10 captain1
univers2l hottie12 kingkong1 scruffy1 chrissy1 maurice1 ssyu1314 blackie1 babyblue1 theking1 password1234
babylon5 billabong1 soccer21 1andonly summer06 princess3 $hex[373737373737370d] love123456 indiana1 princess7
$hex[d0c5] falcons1 ab123456 hottie123 12345678s yamahar1 friday13 rebelde1 qweqwe123 summer12 newcastle1
jessica2 colorado1 ironman1 babyboo1 southpark1 victory1 eclipse1 trumpet1 pussy123 charlie123 american1
pass1word $hex[6766686a6b6d0d] skipper1 jackass2 lucas123 myspace13 littleman1 mnbvcxz1 shadow13 123mudar
$hex[393131313936310d] daniela1 natalia1 andrew12 ihateyou2 asdfgh123 qwertyu1 marie123 redhead1 hello1234
batman123 alex1234 friends2 madonna1 p4ssw0rd princess01 3rjs1la2qe andrew123 123456789c dallas214 classof08
12qw34er d9zufqd92n 123456qq soccer23 sexylady1 allstar1 oscar123 batista1 nascar24 sampson1 football21
lincoln1 123456789r 123456789t 6v21wbgad dirtbike1 gerrard8 skeeter1 myspace5 qwertyuio1 rooster1 cassandra1
soccer16 morning21 dominique1 swimming1 3children my3girls qwertyuiop1 168asd168 123admin321 trucker1 monkey69
chicken2 miami305 michael12 sweetness1 babygirl3 football22 c43qpul5rz hotgirl1 nightmare1 kristina1 michele1
alberto1 ronaldo1 akax89wn scotland1 sasha123 cellphone1 danny123 peace123 lacrosse1 12345abcde lovehurts1
sunshine12 loveme12 $hex[7a786376626e6d3a] chocolate2 3rjs5la8qe catfish1 hunter123 roberto1 iloveu123
1qaz!qaz verizon1 toshiba1 sk8board bobby123 fuckyou7 motorola1 $hex[392d31312d313936310d] z1x2c3v4 carlos123
emily123 tigger12 krystal1 pothead1 mario123 qarglr123 elizabeth2 7ugd5hip2j platinum1 jjcg16dj5k thomas123
desiree1 tacobell1 kingdom1 layouts1 eduardo1 bkl29m2bk cartman1 theresa1 rolltide1 fuckthis1 jacob123
dragon13 diamonds1 nascar88 project1 honey123 facebook1 babylove1 sweet123 xiang123456 1q2w3e4r5t6y7u freddie1
nokia123 amber123 samsung123
$hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0]
school123 spongebob2 69camaro myspace01 surfing1 player69 testing123 brittney1 password14 polniypizdec1102
abcdef123 microsoft1 m123456789 student1 nyq28giz1z hernandez1 p0o9i8u7 lovelife1 summer123 general1
linkedin123 lollypop1 jessica12 taylor12 0r968ji9ufj6 baseball9 anthony123 fu7u4a#$$$ buster123 harrison1
mexico123 password99 bitch101 babygirl11 smile4me water123 walmart1 92k2cizcdp vanilla1 shadow11
$hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0] paradise1 snowflake1 london123 amanda123
love4life pakistan123 katie123 badgirl1 jundian2011xr buffalo1 yfdbufnjh63 nokian73 thomas12 martinez1
happiness1 senha123 18atcskd2w gsxr1000 home1234 myspace4 harmony1 familyguy1 angel101 beyonce1 pikachu1
business1 stoner420 a123456a brandon2 viphv5j736 summer11 godisgood1 fuckoff2 qwertyuiop123 baseball8 welcome2
000webhost voyager1 iw14fi9jxl nickjonas1 rainbow6 asshole123 ms0083jxj wolverine1 1truelove qwe1122334
kathleen1 chandler1 packers4 oakland1 asd12345 q2w3e4r5 dt123456 yellow12 cm6e7aumn9 mackenzie1 sparkle1
robert123 bentley1 tottenham1 fantasy1 8ix6s1fceh cherry123 computer12 tigger123 ilovegod1 joshua12 aaa123123
lorenzo1 iloveher1 buster12 billybob1 $hex[f0a6d0e5d0e2f0a6f0c1f0a2] butterfly7 amanda12 emmanuel1 parola12
cooldude1 amazing1 blueberry1 soldier1 football23 q1234567 12qw12qw qweasdzxc1 qwerty13 welcome12 rebound1
trigger1 batman12 bubba123 nintendo64 $hex[3131323233330d] asdfg12345 clayton1 blasted1 mazda626 chargers21
omarion1 jenny123 pok29q6666 lol12345 marijuana1 $hex[3232323232320d] as790433 iforgot1
$hex[31713277336534720d] shirley1 iloveyou8 mother123 marino13 windows7 michael7 security1 megaman1 michelle12
abc123abc westham1 estrella1 mylove123 valentine1 magic123 trinity3 joker123 cheese12 ilovemom1 johndeere1
asdfgh12 jesusis1 hendrix1 kickass1 backspace1 $hex[3939393939390d] jordan11 pokemon2 yellow123 taishan2011
summer69 sexy1234 godzilla1 dont4get soccer18 jeffhardy1 baby1234 qwaszx12 jimmy123 moneyman1 qwert1234
ty2t1hv3oc babyphat1 margaret1 anthony12 fuckyou13 snowboard1 katelyn1 gilbert1 christy1 bubbles2 mountain1
fuckyou666 dragonfly1 $hex[f02bf0a6d0c7f0a5f02bd0ee] sunny123 family123 letmein123 jakcgt333 bastard1
football13 baseball4 december12 snuggles1 qaz123456 dragon11 wildcat1 myspace08 spartan1 goddess1 kendall1
michael3 playboy69 godfather1 shadow01 ttd955audg houston713 noodles1 $hex[3737373737370d] english1 beckham7
allah786 summer10 sandiego1 michelle2 hunter01 dragon69 1q1q1q1q 123456789n tootsie1 iloveyou10 princess5
scorpion1 cardinals1 chicken123 manager1 babygirl01 demon666 bitchass1 memphis1 baseball22 paramore1 sandy123
123456789g santiago1 orange123 pussycat1 monkey01 taylor123 $hex[7177657274793132330d] soccer09 lawrence1
francisco1 chloe123 flower12 sexybeast1 chelsea123 nathaniel1 thirteen13 chipper1 trooper1 woaini1314
babyface1 matthew2 1football frances1 tarheels1 faithful1 mama1234 1234zxcv puppy123 pepper12 123456789abc
temp1234 arianna1 softball12 mazdarx7 hotmama1 purple11 sanchez1 babygirl14 brendan1 anything1 annette1
network1 joshua123 summer01 fucking1 sassy123 sunshine7 santana1 love2010 mexico12 mariposa1 iamnumber1
redbull1 william2 kawasaki1 j123456789 qqqq1111 fuckyou22 monkey10 lesbian1 pepsi123 grandpa1 myspace10
jasmine2 rooney10 qazxsw123 soccer101 purple13 coconut1 fallout3 123456789e whiskey1 iloveme123 kittykat1
yamahar6 robert12 starcraft1 1z2x3c4v pirates1 kentucky1 shotgun1 griffin1 angelbaby1 stalker1 loveyou123
jordan01 cristina1 secret123 frogger1 baseball21 lovergirl1 zxcvbnm12 home0401 whatsup1 camille1 maggie12
roxanne1 brayden1 123qwe123qwe pavilion1 start123 warriors1 1fuckyou harry123 lineage2 penis123 biscuit1
rodriguez1 halloween1 orange12 children3 jonas123 changeme1 1111qqqq giggles1 junior123 football8 teddy123
thesims2 gizmo123 s123456789 missy123 king1234 football4 brandon12 rachael1 asd123asd asdfghj1 souljaboy1
su123456 hannah01 kayla123 chronic1 thug4life 1qazzaq1 1234rewq skater123 stargate1 babygirl7 123abc123
qwerty77 demon1q2w3e monster123 jupiter1 chivas10 qwerty777 megan123 buckeyes1 rocknroll1 a1s2d3f4g5 maggie123
smackdown1 celtic1888 legolas1 dietcoke1 iloveyou69 dorothy1 hockey12 mittens1 $hex[3838383838380d] password15
yomomma1 $hex[6162633132330d] nicole13 school12 kelly123 zxcasdqwe123 pandora1 leonardo1 blackjack1 friends123
brandon123 birthday1 salvador1 chivas11 $hex[3333333333330d] fuckface1 myspace9 lillian1 hollister2 lolipop1
monkey23 gandalf1 demon1q2w3e4r cherokee1 iloveyou23 harley01 mustang2 justine1 camaroz28 princess21 gfhjkm123
lovesucks1 bowling1 cutie101 nikki123 nicole11 bernard1 jazmine1 princess14 gabrielle1 animals1 dominican1
qwer4321 pothead420 password09 november11 seattle1 starbucks1 wallace1 titanic1 marilyn1 eatshit1 coolman1
uhfybn8888 raiderz1 mexico10 alexander2 demon123 lowrider1 1234567z married1 jamesbond007
$hex[71776572747975696f700d] shitface1 left4dead 123456789w passport1 lalala123 iloveyou21 ginger12 jordan13
cowgirl1 myspace23 sandman1 asdfghjkl123 $hex[3135393735330d] myspace101 love2009 swimmer1 babyboy2 scooter2
techn9ne jasmine123 demon1q2w3e4r5t unknown1 hercules1 computer2 spitfire1 rootbeer1 capricorn1 daniel01
baseball23 hooters1 surside13 huhbbhzu78 jamie123 7777777a mike1234 redwings1 pimpdaddy1 playstation3
peterpan1 prettyboy1 austin12 tigger01 123456789qwe addison1 joejonas1 dancing1 colleen1 corazon1 youtube1
bubbles123 1qay2wsx 1sunshine testing1 panda123 teamo123 punkrock1 anthony3 myspace22 sexylove1 sunshine3
ashley11 nigga123 1a2a3a4a dance123 butterfly3 kathryn1 mission1 madison2 zacefron1 charger1 soccer19
nokia5800 bighead1 p455w0rd stunt101 ncc1701a 1qazxsw23edc joshua01 87654321q yolanda1 senior09 ohiostate1
jeffery1 koolaid1 linda123 pazzword123 kifj9n7bfu durango1 princess22 grizzly1 moonlight1 margarita1 cheetah1
laura123 montgom2409 front242 mercury1 1234567m myspace09 tabitha1 skater12 michael23 princesa1 carlos12
bobmarley1 miracle1 respect1 tommy123 felicia1 1234567s william3 bunny123 racecar1 america123 ginger123
ncc1701e chevys10 cantona7 stewart1 $hex[f02bd0c4f0a6f0a5f0a6d0ee] shakira1 isabelle1 jg3h4hfn princess4
iloveyou9 imnumber1 reset123 fuckyou5 classic1 babygirl15 london22 pepper123 ilove123 arsenal123
$hex[3171617a327773780d] diamond2 john!20130605at1753 madeline1 babygirl5 iamcool1 dylan123 linkedin2011
music101 liverpool8 1q2w3e4r5t6y7u8i aaron123 charlie12 clifford1 bigmoney1 revenge1 w66yrybgra money100
portugal1 google12 mrf11277215 freckles1 gabriela1 chivas123 123456789h october10 babygirl09 billy123 celeste1
iloveu12 butthole1 zxcvb123 bubbles12 123456789f semperfi1 superman7 abcde123 junebug1 senior08 honduras1
babygurl12 u1v7hhh7ef qwerty78 daniel11 simpson1 anthony7 $hex[4ed26f20646566696e69646f] oklahoma1 killer11
yankees13 handsome1 coolkid1 steelers7 dragon01 andrew11 lightning1 princess23 $hex[45786967656e740d]
bigpimpin1 superman3 cleveland1 jermaine1 indya123 classof07 iverson1 ashley13 12345qwer sterling1 solomon1
mickey123 peanut12 123456aaa pornstar1 wonderful1 blueeyes1 slipknot6 a1a2a3a4a5 brian123 webster1 rockets1
monkey21 abcd123456 darkangel1 nicole01 monkey101 history278 armando1 crip4life owt243ygbj sexyman1 1michael
ilovehim2 freedom2 4myspace shorty12 killer13 baseball24 justin01 love2008 baseball6 qwerqwer2 firebird1
x3luym2mmj classof201 motocross1 lampard8 byusdg23 simon123 m1234567 beckham23 qw123456 1iloveyou emachines1
ilikepie1 123asd123 $hex[696c6f7665796f750d] star1234 buster01 playboy123 nokian70 hustler1 central1 tequila1
applepie1 freeze112 shorty13 lorraine1 emerald1 myspace8 baseball14 fuckyou11 a1a1a1a1 cowboys22 control1
s8ylpe9jdpvym mickey12 junior12 thegreat123 cheer123 myspace69 jillian1 $hex[3132337177650d] coolcat1 mobster1
thomas01 northside1 maggie01 account1 lifesucks1 sadie123 ashleigh1 george123 incubus1 football24 mazda323
alexis12 giovanni1 flipper1 thomas22 candice1 gorgeous1 1diamond qwertyui1 leonard1 23jordan tatiana1
martin123 az123456 zxcvb12345 jasmine12 holland1 blossom1 password88 hockey11 mash4077 poptart1 manning18
rammstein1 porkchop1 password24 1234567j qwerty69 qwerty666 password08 bengals1 mega_pizdetz666 jessica3
munchkin1 fighter1 greenday12 lovely123 kittens1 grace123 twister1 123456789v deftones1 18n28n24a5 andrew01
godislove1 9293709b13 justin11 taylor01 terrell1 puppylove1 edward123 peanuts1 ashley01 buckeye1 nokian95
melinda1 bruno123 $hex[6e756c6c0d] samantha12 love4you dallas22 $hex[3171327733650d] mariana1 chivas12
clemson1 2children shorty123 il0veyou history1 love5683 huskers1 theused1 aa123123 redsox04 bailey12
music4life jordan10 z123456789 nigger123 confused1 qwerty01 bridget1 qwerty789 babygirl21 basketbal1 freeman1
2bornot2b hunter11 guadalupe1 nokia3310 mother12 1232323q $hex[2623323333363a] zeppelin1 comcast1 whiteboy1
carolyn1 blizzard1 sexybaby1 l1nk3d1n bigfoot1 cadillac1 qaz123wsx myspace0 sherman1 spike123 whatever2
mystery1 !qaz2wsx babygirl16 aptx4869 babygirl08 lovely12 chicken12 babygirl23 princess15 qwerty22 nursing1
pauline1 maradona10 valeria1 donovan1 football20 123456abcd jesse123 123stella z0102030405 chevrolet1
matthew12 gabriel123 chivas13 daniel13 soccer08 apsk54321 $hex[f02bd0c7f0a9f0a6f0c1d0e9] theboss1 family12
softball11 glitter1 aaaaaaa1 budweiser1 hamilton1 hannah11 honda123 deadman1 martina1 explorer1 baili123com
argentina1 summer99 juventus1 jesus4me malcolm1 italian1 mallory1 jocelyn1 qwegta13091990 iloveyou15 gameboy1
nathan12 nissan350z basketball1 jessica7 scarlett1 goodbye1 august12 compton1 michael11 vacation1 sidekick3
princess8 pistons1 charlie3 nokia6233 123456zxc abcdefgh1 iloveyou09 bugsbunny1 l6ho3tg7wb harley123
valentina1 extreme1 football09 christian2 enrique1 firefly1 fuckyou6 bailey123 joseph12 1qw23er4 scarlet1
password19 booboo12 spanish1 1a2s3d4f5g friends4 peanut123 sextrime1 dragon88 supergirl1 iloveyou6 nathan123
cinnamon1 2blessed 4children babygirl4 booboo123 soccer20 coolguy1 logan123 123123qwe summer05 soccer24
baseball15 bailey01 john1234 banana123 malachi1 cecilia1 softball2 caramel1 william123 diablo666 id6c3wr6un
austin123 gorilla1 arsenal14 september9 monster2 eminem12 fireball1 apples123 andre123 lucky777 1butterfly
lexmark1 matthew123 ninja123 123456789asd candycane1 keyboard1 babygirl69 thegreat1 soccer07
$hex[6b6c61737465720d] 1anthony michael01 sexyback1 october31 zxc123456 joseph123 princess9 alexis123
feder_1941 barbie123 abcd12345 bluebird1 jessica13 number12 twisted1 il0vey0u bossman1 shooter1 deborah1
poochie1 casey123 fuckyou4 faith123 sasuke123 michael13 believe1 password07 holly123 liverp00l kakashi1
kirsten1 starlight1 blessing1 qwe123asd harley12 password20 trenton1 rainbow123 twinkle1
$hex[d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085]
andreas1 destiny2 starfish1 fxzz75yer crosby87 chronic420 softball13 myspace07 12345asd theonly1 beautiful2
doomsayer.2.7mords.v asshole12 trojans1 shamrock1 qwerty99 chivas100 cookies123 soccer01 carmelo15 ad123456
jennifer12 7elephants naruto11 h2vwdubjx4 daniel19 august11 forever2 fordf250 ready2go children2 eqes606898
killer666 softball7 123456qwer purple22 softball10 america12 sonic123 cherry12 scvmofas79 hotpink1
$hex[65786967656e740d] lipgloss1 oliver123 knights1 princess16 mermaid1 twilight12 mustang69 eminem123
$hex[7177653132330d] paper123 e3r4t5y6 elliott1 taylor11 babygirl22 bushido1 123soleil hurricane1 anarchy1
cristian1 maryjane42 nicole21 r9lw4j8khx death123 fucku123 mygirls2 panasonic1 monster12 sophie123 football14
littlebit1 birdman1 w5tn36alfw pudding1 badbitch1 makaveli1 12345qaz pedro123 password17 princess08 snoopy123
tweety12 matilda1 money4me monkey14 pokemon11 luckydog1 patriots12 frank123 samuel01 iloveyou08 darkstar1
pasword1 bryant24 sweety12 banana11 derp12!@ pinkfloyd1 milkshake1 nicole22 jack1234 polaris1 fuckme123
1zxcvbnm 2wsx3edc printer1 stonecold1 pinky123 darling1 seven777 skywalker1 diego123 butterfly8 slipknot66
couponsc10 august13 pioneer1 buster11 yellow11 pretty12 dynasty1 sasuke12 startrek1 rockstar12 softball3
texas123 dragon22 michael5 boobear1 juanita1 lexor123 amsterdam1 1superman wedding1 philips1 princess09
classof200 jobshop2002 987654321q password77 joshua11 august23 babygirl9 converse1 friends12 qwerty21
mikejones1 alexis09 matthew3 lobster1 pentium4 blogs123 number11 familia1 baller12 pr1ncess weare138 1hotmama
hottie13 9uzp9jek3f senior07 nwo4life darlene1 d123456789 sexygurl1 123qwert fuckyou8 guinness1 promise1
naruto13 superman23 cool1234 lucifer666 suzanne1 password16 1234567b 1q2w3e4r5t6y7u8i9o beverly1 sam12345
poppy123 august21 simba123 a7777777 password33 tigger11 robinson1 alfredo1 lauren12 desmond1 loveless1
123123123a liverpool9 red12345 samurai1 children1 morgan12 myspace200 pontiac1 brandon3 rainbow7 dd123456
pretty123 raiders13 pimping1 babygirl19 12345678m december25 poop1234 ballin23 steven123 4everlove october13
chase123 rainbow2 8phrowz624 bmx4life jasmine3 jefferson1 taylor13 crimson1 trinidad1 fuckoff123 anthony5
marseille13 clinton1 august22 slimshady1 anthony13 s1234567 bonjour1 doomsayer.2.7mords.vv enter123 penelope1
123456qaz hahaha123 kissme123 nicole10 nicole14 longhorn1 bluesky1 mushroom1 andrea123 prince123 mazdarx8
jackson2 thomas11 poohbear12 carter15 $hex[f02bd0c4f0a6f02bd0c4] money101 k123456789 myspace21 computer123
charlie7 j1234567 1111111a capital1 brandon7 florence1 pink1234 charlie01 killer69 richmond1 123456789i
musicman1 krishna1 3s43pth5aea football08 bigsexy1 superman11 yourmom2 daniel10 monkeyman1 running1 julia123
looking1 mikayla1 hottie11 angel666 oranges1 rosemary1 asdfghjk1 fabulous1 bonjovi1 nicole23 mckenzie1
justin13 1melissa romance1 killers1 maggie11 nemesis1 football33 tennessee1 alfred19 surenos13 171204jg
qwerty23 freebird1 hejsan123 george12 guatemala1 candygirl1 edward12 expert12 gymnast1 blaze420 belinda1
1chicken alpha123 lespaul1 q1q1q1q1 gamecube1 misty123 asshole69 radiohead1 steven12 sugar123 cartoon1
football6 infinity1 annie123 sharpie1 karen123 emerica1 zimmer483 daddygirl1 fuckyou9 2000comeer telephone1
$hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0] one2three cookie11 patrick2 a1111111 august14 hotshot1
nokia5300 $hex[3938373635343332310d] pepper01 marlene1 password18 b123456789 austin01 0o9i8u7y password12345
darrell1 love2love fucklove13 oliver12 mahalkita1 toronto1 victor123 $hex[636570657473756769680d] america2
momanddad1 myspace14 pimpin69 starwars3 steve123
$hex[f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0f02bd0f9f0e0]
blackcat1 qaz12345 lover101 1q2q3q4q orange11 hockey10 ou29q6666 science1 tinkerbel1 amanda11 09121962q
summer2010 master11 flamingo1 1234567d priscilla1 iloveyou16 underoath1 fuck1234 1234567k cutiepie12 diana123
boomboom1 whiskers1 babygirl20 cookies2 67mustang fuckoff69 soccer99 princess19 godsmack1 slipknot666 service1
jehovah1 johanna1 sunshine11 1onelove henry123 loveyou12 sapphire1 wolfpack1 million1 josephine1 neopets12
mylove12 sexybabe1 bassman1 annabelle1 journey1 november19 oblivion1 oceans11 ethan123 magnolia1 coleman1
kayleigh1 ramones1 lovehate1 detroit313 assassin1 3edc4rfv wz362308 jordan22 western1 popcorn2 werty123
crackhead1 momoney1 guitar123 andrew13 newyork2 football32 cbr600rr felix123 nicole27 mexican13 sinaloa1
iloveyou01 peaches2 superman13 myspace6 m1chp00h rochelle1 robert01 smokey12 player12 october23 c123456789
12qwerty babygurl2 spoiled1 superman5 samantha2 football55 a987654321 scott123 number10 october12 q1q2q3q4
personal1 madison3 candace1 silverado1 cougars1 kenny123 hummerh2 livelife1 monkey99 electric1 fitness1
machine1 savanna1 celtics1 lilly123 paulina1 q12345678 snoopy12 express1 picture1 fuckyou23 another1 starwars2
zxcvbn123 charmed3 1qaz2wsx3edc4rfv rusty123 playboy2 rosie123 master01 liverpool2 indians1 chelsea2 integra1
austin11 passer2010 anthony11 ashley21 poohbear2 apollo11 falcons7 tigger13 fuckers1 shadow22 dfa72dfj
tigger22 martine1 qwertyuiop12 gonzalez1 october21 $hex[743a] change1234 1234567t ilovejosh1 rbotmvz954
connect1 duchess1 gabby123 4wheeler august19 12s3t4p55 gotmilk1 liliana1 football44 chelsea12 junior13
iloveyou0 lauren123 hotchick1 blessed2 biteme69 august18 newport100 godbless1 georgie1 hottie01 deathnote1
kenshin1 elvis123 whocares1 queenie1 august16 brittany12 lovegod1 gustavo1 qwaszx123 carlos13 morgan123
football25 randall1 janelle1 blood123 loveable1 football15 jennifer2 1111aaaa smokeweed1 cameron2 chelsey1
baseball25 hammer123 dragon10 pepper11 william12 dingdong1 jonathan12 sunsh1ne aaaaaaaaa1 bigboy12 1jessica
chocolate7 princess18 123admin32 esmeralda1 mikey123 bollocks1 1moretime dominik1 2010comer eddie123 august15
killer23 naruto10 x99qomx561 2cxdn8s271 badboy123 zidane10 my204856 payton34 riverside1 marisol1 cleopatra1
asdasd666 cookie13 mongoose1 purple23 asdzxc123 michaela1 celtic67 broncos7 matthew7 crazygirl1 asshole3
starcraft2 nokia6600 august25 ahmed123 casper123 loveu4ever sunrise1 sexyass1 ddzj39cb3 blood4life cruzazul1
hithere1 massage1 august28 mustangs1 gabriella1 emerson1 hellboy1 amanda01 melissa123 carlitos1 abraham1
jiefang007 qwerty88 peanut01 michael4 october2 october22 westside13 pancake1 caitlyn1 aaa123456 michelle3
film@123 october7 hockey13 1234567u justin10 december19 butterfly6 jessica11 chocolate3 nathan01 anastasia1
dinosaur1 freedom7 celtic123 bigbird1 weedman1 shelley1 hello12345 ashley14 lovely69 charity1 danielle12
juliana1 apples12 patrick123 tornado1 gangsta2 purple01 jackie123 chiquita1 charlene1 popcorn123 killbill1
yellow22 jordan21 greeneyes1 ashley16 asdfgh01 qwer12345 bingo123 snapple1 zxcasd123 smokey123 thompson1
nicole16 universal1 anthony01 1gangsta babygirl8 makemoney1 awesome123 candyman1 silver123 southpole1 charley1
manunited1 ludacris1 fucker69 need4speed freestyle1 penny123 dallas12 camaro69 cupcake123 batman11 august17
bigmama1 samuel123 tmnet123 babygirl18 goodluck1 redrose1 thankyou1 princess07 newpass1 123odidol august10
scoobydoo2 chihuahua1 napoleon1 martin12 1234qwerty andrea12 people123 merda123 timoxa94 michael8 kingston1
twelve12 hitman47 goodgirl1 speaker1 angel777 meatball1 babygirl07 quality123 warhammer1 sandra123 goodboy1
melissa2 zzs000000 friends3 pancakes1 sexygirl12 chicken3 kickflip1 marquis1 qwerty00 system32 darnell1
superman10 dragon99 asdfjkl1 lol123456 fucker123 bumblebee1 august24 reading1 1qaz@wsx dragon21 penguins1
kisskiss1 number23 jessica01 ilovealex1 welkom01 destiny123 arschloch1 mandy123 vanessa123 digimon1 ilovenick1
banana12 xblhintb9w lovers123 baseball17 forever123 fantastic4 cherries1 123abc456 dragoon1 august31
password55 zaq12345 beloved1 elizabeth3 tequiero1 superman123 yousuck2 no1knows picasso1 cristiano7 compaq123
jerry123 warning1 princess6 daniel22 amanda13 princess69 midnight12 siemens1 liverpool123 blackman1 friends4ev
remington1 pooppoop1 shearer9 stupid123 bruiser1 purple10 xtseo2011tdx december10 blowjob1 angel1234 brandon5
ginger01 brandon13 $hex[71317732653372340d] greenbay1 playstation2 westlife1 mv46vkmz10 collins1 fuckyou21
jasper123 immortal1 pimpin101 sunshine01 my1space october14 echizen18 october11 gatorade1 silver12 ashley22
1babyboy jesus101 fuckyou420 matrix123 spongebob3 hotmail123 sassi123 heather2 evolution1 adrian123 65mustang
space123 dancer12 karolina1 predator1 bubbles3 6strings president1 johnathan1 anthony4 mateusz1 michael10
bluemoon1 eternal1 mommyof2 scottie1 iloveme12 jackson123 iloveboys1 maureen1 campbell1 husband1 america13
einstein1 october15 ashley10 3daysgrace cvzefh1gkc ashanti1 michoacan1 liverpool5 shane123 southern1 motherof3
diamond123 fk3456abc martini1 honda250 football34 bvp33w7epu ramirez1 love2007 dakota12 maryland1 butters1
jordan45 chevelle1 mohamed1 1fptjtl919 starwars12 taylor10 lovers12 sidekick1 nokia5200 football07 butterfly9
destiny7 hockey123 bandit12 princess123 bitches2 princess24 jackass123 beatrice1 papichulo1 jamesbond1
geheim123 pimp4life mcdonalds1 carlton1 whitesox1 $hex[5177657274790d] p4ssword qwerty10 68camaro nicole15
147258369a chuckie1 samsung2 ilovematt1 789456123a hellomoto1 cheese11 loser101 august26 lollol123 forrest1
princess20 pegasus1 princess17 twinkie1 notredame1 hannah10 12345678d bearbear1 fuckfuck1 sophie12 1baseball
freedom123 hockey99 jessie123 whatever4 roberta1 painter1 iloveme3 football69 baggies1 myspace4me alyssa12
thailand1 password45 children4 whatever12 stewart20 yourgay1 monkeyboy1 mustang50 iloveyou143 squirrel1
michael21 november12 asd666fds richard123 kaitlin1 carebears1 brandon11 sisters1
$hex[f0a2f0a6d0e9f0a6d0eaf0a6] nokia5130 herbert1 inuyasha12 dkxjizc282 combat123654 jalisco1 abc123456789
youknow1 skyliner34 rachel12 hey12345 robert11 class2010 xt97794xt 1a2a3a4a5a juliana123 michael22 october3
diamond12 airplane1 justin21 !qaz1qaz vietnam1 mark_963 $hex[3132333635340d] loveme22 fuckyou0 football123
punisher1 monkey15 blaster1 barbie12 $hex[266865617274733a] ashley15 5plk4l5uc7 manchester1 heartless1
myspace06 password25 mustang67 august27 softball5 charlie5 meandyou1 hottie69 rb26dett football99 ricky123
sally123 snoopdog1 bismillah1 jazzy123 weather1 wrangler1 babygirl6 london01 richard2 player123 sylvester1
niggers1 mickey01 killer99 hunter13 tigers12 justin22 qazxsw12 mouse123 julie123 jasmine7 october16 sephiroth1
softball14 dragon23 123a123a daughter1 samsung12 zaqxsw12 paris123 $hex[73616d73756e670d] azerty12 riley123
hockey19 butterfly5 steph123 tzir25l5kn heyheyhey1 5x1cjdsb9p aerosmith1 babyboy123 halflife2 softball22
musical1 hunter10 poopy123 miley123 1mustang longbeach1 12345six softball8 iloveyou18 1z2x3c4v5b inferno1
harley69 lolipop123 jordan14 r4e3w2q1 misfits1 fluffy123 curious1 poophead1 purple21 renegade1 johncena12
skaterboy1 boyfriend1 bangbang1 myspace201 mason123 badboy12 sunshine13 eleanor1 w1aubvoq doggy123 october17
catdog123 loveme69 cowboys9 browneyes1 cindy123 r123456789 1zn6fpn01n adidas123 eastside13 morrison1 alexis01
bailey11 nokia3100 1sexybitch 12345zxcvb peanut11 ginger11 buddyboy1 august20 darkside1 nicole18 michael9
batman13 12345asdfg junior10 nokia5230 superman69 charlie11 coolgirl1 prince12 ernesto1 slipknot12 catalina1
qh6xl1p9xj october25 elizabeth7 emanuel1 metallica2 waffles1 stephanie2 gangsta6 junior01 nevermind1 romans828
chelsea11 flowers2 1234567qq 123qwe456 football77 1234567r bennett1 winter12 cancer69 tarheel1 anime123
pyramid1 sunshine5 october18 divorce1 bryan123 abc1234567 hot97hot nicole08 66mustang foxracing1 killer01
horse123 ashley23 1life2live october5 anthony23 sheldon1 plastic1 compaq12 bubble01 olivia123 idontcare1
miguel123 rockstar2 monkey77 diamond7 lionking1 stayout1 12monkeys abcdef12 tester01 daniel23 motherof2
superfly1 getmoney2 happyfeet1 bigpimp1 christopher1 hellfire1 $hex[f02bf0a6f0a6d0fcf0a9f02b] larissa1
shadow10 1qwertyuio sdf7asdf6asdg8df iloveyou24 j1v1fp2bxm babybaby1 a1234567890 october8 jessica5
ghhh47hj7649 scooby123 hillbilly1 seahawks1 1computer aragorn1 mango123 yu5l97wk8q ultimate1 cheer101
z1x2c3v4b5 whisper1 windows98 icecream12 purple14 hamburger1 angie123 123456zz secret12 123123aa iloveyou19
family1st november20 1brandon michelle7 shotokan1 sunshine4 tiffany2 classof06 woaini123 stardust1 rachel123
dannyboy1 skater13 nigeria1 casper12 killer22 patrick12 lucifer1 sixteen16 adrianna1 london11 people12
babyboy12 sausage1 92dk2cidp november18 ghbdtn123 l123456789 pass9876 chipper10 morgan01 chicken7 bandit01
patriot1 iloveyou20 chicken5 horses123 ladybug2 ghost123 simple123 psalms23 killa123 football01 ashley18
hockey14 butterfly0 romeo123 tweety123 iloveyou17 dangerous1 cookie01 brandon01 scooby12 lzhan16889 3qdlqb49js
megadeth1 qwertz123 123456789x alondra1 cassie123 iloveyou07 tigger69 muffins1 dragon666 love4eva jessica21
bacardi1 ecuador1 house123 tractor1 october27 wednesday1 woaini520 jake1234 matthew11 portland1 antonia1
justin23 limegreen1 demon1234 fener1907 football88 guitar12 kitten12 robert13 number13 ilovemike1 vagina69
jordan08 lakers08 imagine1 fred1234 qwerty111 myangel1 westcoast1 cupcake2 sexyred1 august29 runescape2
qazwsx1234 soleil13 monitor1 baseball20 jasper12 hawkeye1 gateway2 wiggles1 rodrigo1 123456789aa charles2
october24 homer123 warlock1 redsox34 thomas13 sk8erboi terrance1 mendoza1 icecream2 sparky123 mustang66
antoine1 daniel14 b1234567 $hex[6c69766572706f6f6c0d] monkey24 atlars10 winter11 sunshine22 jackie12 tyson123
orange22 cupcake12 chickens1 butterfly4 babygurl13 danielle2 $hex[3132313231320d] zhou1980 diamond3 someone1
demon12345 mexico11 1234567890z ilovehim12 quality1 shawn123 starburst1 dallas123 hockey17 engineer1 marco123
babygirl17 phillies1 0okm9ijn football18 softball4 george01 dimples1 dutchess1 chico123 melissa12 nick1234
1bigdick soccer33 angeleyes1 parola123 soccer25 october20 madden08 barkley1 grandma2 t123456789 twenty20
1234567y monster3 winter08 monica123 hannah13 delicious1 blowme69 october6 1234567890qwertyuiop ppoo0099
123qazwsx mommyof3 asdf12345 1234567l froggie1 zmx870919123 prelude1 1asdfghjkl baseba11 andrew22 matthew5
chris1234 november17 admin1234 joshua13 jericho1 bigboss1 hgrfqg4577 lemonade1 junior11 hotdog123 love2011
irock123 worship1 counter1 $hex[6173646667686a6b6c3a262333393a] dragon77 just4you imthebest1 delilah1
steelers43 komputer1 myspace15 bbleo1zz random123 raven123 $hex[70616b697374616e0d] 1newlife marketing1
francesca1 november23 lolek123 $hex[3135393335370d] november10 national1 qweasd12 redbone1 superman21 yesenia1
bigboy123 southside3 airborne1 liverpool0 shadow21 october4 monkey16 ronaldo123 jeanette1 maryann1 zacatecas1
johnny123 december21 ukflbfnjh12 november21 viewsonic1 67camaro nokia5530 december20 dancer123 powerof3
madison123 lotus123 allen123 braxton1 purple69 $hex[300d] nicole09 midnight2 wolfgang1 natural1 jessie12
waterfall1 october28 nigger12 evony123 anthony6 tripleh1 asdf123456 hockey22 thunder2 baseball09 alice123
sunshine10 october26 delpiero10 daniel15 manson666 madison12 inactive1996aug maynard1 mmo110110 orange13
maurice4 zx123456 michael6 1michelle iw14fi9jwqa friends7 $hex[7072696e636573730d] monkey1234 daniel21
flower11 baller21 kidrock1 winter99 sweet666 cingular1 brittany2 november22 12344321a baltimore1 lalaland1
banshee1 pandabear1 marina123 slipknot2 asswipe1 lydcc20091314 12345678j 69cougar august30 fisherman1 crystal2
trombone1 brendon1 catdog12 joshua10 gretchen1 destiny3 pippen33 sparrow1 robin123 online123 $hex[663a]
summer22 loveme11 november13 hevhk43n9j charlie4 jordan15 carol123 jonathan2 strange1 stars123 blackdog1
alexis13 baby2008 jordan24 coolboy1 beaches1 earnhardt3 china123 hopeful1 monkey88 69mustang samuel12 1abcdefg
trouble2 anthony15 newyork123 meredith1 meowmeow1 skating1 packard1 december22 jorge123 rainbow12 cassie12
kameron1 myfamily1 dragon76 password44 october19 lkjhgfdsa1 amdturion64 green420 cookies12 family01 saints25
westwood1 coolbeans1 sexyblack1 taylor21 baseball16 myspace99 firefox1 justin16 0icotpd785 popcorn12 bigballs1
123password dennis123 giraffe1 tennis123 kumar123 johnjohn1 jasmine5 fresh123 presario1 jordan07 aq1sw2de3
eternity1 alfonso1 valencia1 lavender1 d1234567 homework1 vanessa06 muffin12 clarence1 coolness1 bologna1
roberts1 dolphins13 honesty1 soccer06 designer1 opernhaus1 harley11 november15 alexis11 suckit69 1charlie
pokemon10 tinker12 password89 anthony21 aaaaaaaa1 a12121212 bandit123 password1! horses12 cbr900rr icxkyb7972
mustang7 allahis1 coldplay1 treasure1 plumber1 sophie01 baller22 $hex[31323334717765720d] andrew21 cool123456
nokia6230 rollin60 music4me crystal123 andrew10 brianna2 black666 love4ever1 funny123 hollywood2 dance4life
hacker123 4391634m tristan01 lauren01 december13 qwerty55 lovehim1 hammers1 suicide1 alyssa123 ashley69
shadow69 realnigga1 justin14 wsbe279qsg austin13 $hex[f02bf0a6f02bf0a5d0e7f0a6f0a6] baseball18 mollydog1
123456zx nicole07 brooke12 nicholas2 loveme23 showtime1 superstar2 tombrady12 queen123 bigtits1 rosario1
november5 woodstock1 destiny12 shadow99 jessica10 cardinal1 login123 felipe123 superman22 m1am1b3ach dolores1
presley1 element2 patrice1 bunnies1 liverpool7 michelle11 k1234567 jonathon1 shadows1 magical1 october29
carpediem1 dewayne1 beckham1 yamaha125 $hex[3132330d] poker123 eagles12 iverson03 education1 spongebob9
baller24 gangsta123 timmy123 pearljam1 redline1 anno1602 teste123 pa$$w0rd matthew01 softball9 ilovesam1
31x7t5xbke benjamin15 ncc74656 mickey11 september3 forgotten1 bwfq23jp7f esperanza1 pussy101 december23
chicago23 football17 edward17 hottie14 $hex[71617a7773780d] matt1988 inter1908 1a1a1a1a sailing1 boobies2
sunshine69 pimpin12 ballin12 aabb1122 batman01 kristine1 23skidoo olivia12 cooper12 brennan1 maddison1
lilwayne12 positive1 justdoit1 sugarbear1 fxzz75$yer hunter08 $hex[f02bf0a6d0c7f0a9f0a2f0a6] canada123
buffy123 summer13 121324810z michelle13 amanda21 shayshay1 cocaine1 adam1234 november16 gunners1 bluedog1
forever12 batman23 deadmau5 snapper1 1destiny hawaii808 ashley17 hamburg1 $hex[3c626c616e6b3e0d] fletcher1
jasmine13 feather1 william7 redfish1 amanda22 iloveryan1 austin10 madden07 madness1 mancity1 michael69
password27 lakers32 loserface1 1qaz2wsx3e mustard1 october9 naruto101 onetwo12 paladin1 lukasz12 1234567c
lonewolf1 scooter123 victoria12 angelito1 kingpin1 hm9958123 jessica14 brucelee1 dfg5fhg5vgfh1 dolphin2
polarbear1 1q2w3e4r5t6 stinger1 ryan962052 qugrqfo825 2hot4you 1william november2 12345abcd babygirl24
blessed7 $hex[f0a6f0a2f0a6d0c7f0c1f0a6] girls123 daytona1 brooklyn2 doglover1 december11 blackrose1 123456789y
yellow13 justin15 because1 nolimit1 joseph11 starwar5 alexander3 brothers1 peyton18 yankees7 adrian12
manuel123 p@$$w0rd playboy12 games123 shortie1 3syqo15hil stinker1 3sisters shadow23 wolfman1 tuesday1
mcgrady1 zhang123 k47rizxt2g fearless1 marseille1 smoking1 yourmom123 habbo123 123123123q jessica22 stinky01
123456asdf sk8erboy anthony22 dookenr1 senior06 spider123 cowboys81 mickey13 johnny12 madison5 shelby12
monopoly1 happydays1 hunter99 nigger69 ilovesex1 josette1 quentin1 football54 december17 123q123q shayne123
alucard1 123admin321a taekwondo1 original1 dkssud12 baller123 fucker12 loveme13 jayden08 dakota01 den221991
sunshine8 123456789qwerty winter09 gerardo1 minnesota1 fernanda1 snoopdogg1 chivas#1 123qq123 monalisa1
bigbooty1 ww111111 michael14 jessica4 loveyou3 chevy350 december2 glamorous1 luv4ever surena13 titties1
pass1478 pleasure1 asdasd12 mustang5 peaceout1 polska123 salvation1 deshawn1 nessa1234 wert1234 stealth1
dominick1 keepout1 hawkesbury93 ilov3you smokey01 joseph01 vermont1 loretta1 atlantis1 greenday2 yankees23
thomas10 transam1 deandre1 keepout8 1chocolate holyshit1 mamma123 password32 hawaiian1 library1 avalon08
12345678r cronaldo7 $hex[3132333132333132330d] 1treehill morgan11 benny123 forever7
$hex[f0a6d0c7f0a9d0fcd0e9f0a9f0a2f0a6] spiderman7 tweety13 soccer77 klinger1 oks65b6666 cameron123 victor12
antonio123 birdie123 1200nerds cupcakes1 prodigy1 pingpong1 gotohell1 jose1234 december15 boeing747 cowboys2
babybear1 nha7ebf6kp spartans1 nicky123 a6543210 hx28o9e646 xsw21qaz zaq1zaq1 december18 hillary1 2wsxzaq1
heythere1 ryan1234 pokemon3 q0tsrbv488 messenger1 masters1 chocolate5 striker1 rachelle1 september8 esteban1
$hex[d0fcf0a5f02bf0a2d0efd0eaf0a6f0a5] newthree51 critter1 blake123 tkfkdgo7 flowers123 money1234 football28
pictures1 nibbles1 fuckyou10 yahoo100 boogers1 madison7 juanito1 junior88 edwards1 bubbles13 memphis10
castillo1 devildog1 password06 pqntmt1247 anthony10 oldschool1 mynameis1 bball123 larry123 1234love edxk20qmfs
mustang65 12344321q playgirl1 mamamia1 spongebob7 fuckyou09 florian1 police123 monster13 klaudia01 chelle1234
raiders2 aquarius1 nicole17 anthony9 madison4 12345zxc soccer69 november7 1q2q3q4q5q f1uuhza723 futyn007
baseball08 november14 perfect10 muffin123 elizabeth9 hunter22 placebo1 jordan09 andrew23 tennis12 sweetie2
bubbles7 turtles1 rebekah1 viper123 lakers123 juggalo420 chris101 louise123 sparkles1 carlos10
$hex[6d69636861656c0d] behappy1 baseball33 isabel972 q1w2e3r4t5y6u7i8o9p0 party123 lilpimp1 zhd741220
charlie13 werewolf1 baseball19 elisabeth1 gangster12 madison01 sincere1 december16 1qwertyu muhammad1
fucklife1 butter12 pennstate1 smile0_0 happy12345 harvick29 angela123 fluffy12 golfing1 jeremy12 honda125
mohammed1 astrid29 sundance1 whatever7 kangaroo1 broadband1 bahia1979 elizabeth8 tasha123 foolish1 hbhc8290826
brandon4 sabine12 $hex[73756e7368696e650d] vicky123 jasmine11 florida2 anthony14 hockey16 batman69 football95
maria666 babyboy3 zxc841219 maggie13 speak2me w123456789 mm123456 l1nked1n victoria2 pass_2011 happy1234
april123 magdalena1 morales1 $hex[3130323033300d] vanessa12 4rfv5tgb spionin8688 brandon10 dontknow1
elizabeth0 iloveyou<3 mudvayne1 chevyz71 mark1234 jessica69 asdasdasd1 popstar1 anthony8
$hex[617364663a6c6b6a] ww651118 tigger21 myspace24 qq123456789 football16 dilbert1 monkey33 rihanna1 #1stunna
qq123123 fordf350 fylhtq12 killer21 wrestle1 supernova1 angels12 rhiannon1 amanda69 0987654321q kirill1990
mobsters1 monkey09 lincogo1 blabla123 rtw150809 dakota123 puppydog1 t36473647 mustang01 pokemon7 davidic1
nuggets1 d0r1nc0urt olo65b6666 lucille1 rambo123 dimebag1 aa224466 pimp1234 11111111a 12345678z nascar20
$hex[7a786376626e6d0d] johncena54 123456789qw 69charger 1bigdaddy player13 fathead1 vanille1 ilds4edad
nathan11 leticia1 november25 jordan2345 password66 mamapapa1 shorty11 1234567g patience1 blablabla1 degrassi1
monkey08 summer00 pumpkin2 almighty1 passw0rd1 resing1965 bayern94 $hex[f0a6f0a2f0a6d0fcd0e9f0a6d0fcf0a9d0c5]
monkey07 5children allmine1 killer10 beethoven9 tl281188t tony1234 xige5516726 a5201314 ronaldo17 bitch1234
mustafa1 october30 ploppy10 matt1234 blackcat123 vuc7neyu0 roger123 queenbee1 infamous1 alex2000 iloveyoux3
singing1 pissoff1 december31 master69 ch0c0late element123 ovr220278 "1,00001e+14" soccer88 yemi19900911
monica12 gfs2z6wb q1q2q3q4q5 kapej111 shadow14 password123456 crazy101 skater11 shanice1 maiden666 monkey17
123456789qaz 31081981rs jessica8 cabbage1 princes1 camilla1 qiciqdp162 justin08 poepen19 roro1024 chocolate9
angels123 fuckthat1 september7 jasmine4 12345678k nokia5310 p5415420 garbage1 thissucks1 babymama1 james1234
denis123 recovery1 poiu0987 batman22 rose1234 supa1906 ss563563ss superman8 teddybear2 gangsta12 paluso00
uphill45 shelby123 pakistan12 bigbear1 antonio2 jkiuztdftl57 brodie10 j4n4jel4 honda450 olitec00 love1314
trapdoor60 hockey21 pommes123 homerun1 povlmly727 snorre98 newstart1 brandnew1 courage1 haha1234 lightning2
buster13 charlie10 5a8b9c2d jordan99 xantria10315 kuana230345 $hex[7a6e743a] doodlebug1 mnbvcxz123 tinkerbell1
usa12345 aksrms8010 starwarsfan10 huskies1 awei1616 lauren11 jessica15 1jasmine honeybun1 zz8807zpl blkdrag0ns
cksdnd12 $hex[343831353136323334320d] ganja420 scarface2 heavenly1 dallas01 ziggy123 baby2009 lynette1
attitude1 crystal12 linkedin11 marilyn59 christmas2 notebook1 wrasloco11 supreme1 $hex[71717777313132320d]
staples1 rhinos111 br00klyn dangerous12 soccer05 leopard1 keystone1 nikolas1 courage9 hrenota1 teonamaria1
frisco415 sandra12 jiang8kevin n123456789 ficken76 123321qwe cds04121989 seminoles1 myspace00 anetka11
matthew4 macdaddy1 rainbow3 1234567h hunter07 texas100 ashley09 sexychick1 l1verpool hannover96 vitor1268123
looby123 123321aa moose123 heather12 sabrina123 crybaby1 b2spirit nikita123 povray14 jesus1234 jessica23
youandme1 849vak17 max12345 michelle01 j5644574 devil123 football19 m01759766727 grayson1 stupid12 superman4
trackstar1 hola1234 aa261599 weronika1992 montreal1 concrete1 doodles1 pokemon9 juju1987 carpenter1 twinkle15
chocolate8 together1 sabbath1 medical1 tyrael04 ehdgnl12 studio54 jdd04257 goodtimes1 summer2008 guardian1
neworleans12345 bl8lygb0 dracula1 kara2711 william2631 chelsea7 1234five courtney12 qq18ww899 cowboys12
messiah1 yggdrasil4 wishbone1 braves10 mikemike1 aug!272010 jesus143 hermione1 m12345678 raiders12 sodapop1
sexy4life 123456az u83xu3u83 cherry13 charly2004 nicholas12 jackmore1 m1chelle winter01 spitsy16 slipknot9
komputer12 football27 qwerty123456789 spongebob0 optimus1
$hex[d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085d0bfd197d085]
sunshine21 smith123 2w3e4r5t mamika10 1olmetec1 seahorse1 jackjack1 neopets1 homeboy1 booboo11 fullmetal1
kevnwo128 chicken11 123456mm jasper01 crackers1 rainbows1 buttface1 akademiks11 hampton1 2sisters mckenna1
qwert54321 umbrella1 ashley08 natiichen999 teenaa111 newjersey1 basketbal9 sunshine9 myspace77 nokia3250
hamburg15 joshua21 awesome12 tarzan00 beast123 qw12qw12 football56 starwars111 monday123 ilovejoe1 heart123
andre1986 1freedom gabriel2 cooper123 november8 november24 stella123 cordell123 henderson1 h4t3cr3w yvonne90
123456789as adrienne1 smb0512bz steflio3123 nummero1 awesome2 pokemon5 armstrong1 daniel18 bettina23 purple16
tkfkdgo1 123456ok smokey13 madden09 smokey11 boomer12 alejandro2 biscuit22 ludi1234 december28 kinomoto89
jarox1301! abc123123 twiztid1 billiejoe1 0p9o8i7u november27 sexybitch2 moonshine1 superman01 pt120439
felix1952 chocolate4 lara1308 goldberg1 freeway1 bootsie1 duncan21 maciek06 hello101 kissmyass2 december14
girlygirl1 softball21 mayquinn2 dabears1 william5 monkeys2 bitch666 mildred1 r1234567 kakashi21 1america
winter123 nothings123 forever3 520love101182 benfica1 matyas2001 leolong1985 chitown1 arsenal12 smokey420
kitty101 sanders1 zooyork1 getsome1 sparky12 1grandma ska02ska oliver01 anthony08 sandberg5 1234567p ronaldo07
techno13 fuckyou88 single123 hollister3 metal123 cubbies1 hans4queck 6817zd57 lovebug2 shorty14 coco1234
lightpower12345 nanou4552 vanhalen1 maella1311 linked123 wayne123 fenchel55 vanessa2 pookie12 vfhbjk1801
fysihz5g clarinet1 pizzahut1 badboys2 mu080295 lovers69 hester23 abcdefghi1 november3 jcdenis1 nancy123
fabregas4 daniel16 legend22 beast556 asdfghjkl12 64impala baller13 fuckme12 monster7 qwertyu8 lionheart1
ladiesman1 1ofakind pendejo1 cutiepie2 grateful1 father123 puppies2 purple15 softball23 jasmine01 angelseye22
brooke123 southside2 addl0223 christian7 virtue1234 s12345678 abcabc123 easyas123 samsun55 redab1993
stefangreil1983 mkal2707 total12scherz malik123 snake123 2kroliczek wrestler1 southwest1 4me2know adams33486
manuel12 serafina14 trivium1 c1234567 1234567n lacoste1 jimmie48 $hex[315132773365347235740d] spez3012
theshit1 julie2811 cameron12 turtle12 rose24731 shorty69 michael18 baller11 snoopy13 qwe123qwe123 bff4ever
christina2 assface1 saxophone1 forever4 oojs4ykl blunt420 fifa2010 jordan06 ruler1991 mexico01 sasin414
mario140773 iloveyou88 theband1 2password proverbs31 blackout1 rhodan01 myspace88 robert22 mexicano1 working1
dogshit1 honey215 wpcakir264 candy101 maganda1 sacha1234 sexymama12 hollie99 mgreen39 testtest1 pg260365
fuckyou01 killer45 monkey18 justin18 somanypickles27 ahbird1984 soulmate1 pomalo123 pablo123 chemical1
killer1234 monster5 tracker1 graffiti1 brother2 chelsea8 z1234567 rabat1945 freedom12 polenka1 c3por2d2
zaq1xsw2cde3 halo1234 aczx7812 papatoma1 pakistan786 qawsed123 a1169619 kitten123 kassandra1 daredevil1
madonna12 minecraft123 leliane50934 johnny1959 guillermo1 lilwayne2 cookie23 kmzwa8awaa 2pacshakur c0mputer
owt243ygbh bobcats1 master13 oliver11 live4him new975wen michael15 angela12 winter07 tanja1993 tigger23
dolphin7 111111aa theodore1 iloveu22 bob12345 phoenix888 softball15 philly215 redsox12 malaysia1 roanne42300
zesh1412 faca210898 henni1907 shorty01 qazwsx11 istanbul34 michael08 xlsl9963 mclarenf1 776158ab
$hex[6c6f76656c790d] marek14michal 1111111q laurel12creek lovehurts2 lilmama2 memorex1 flash123 jackpot1
yandi20080527 lancia037 mase4ever computer11 rahul123 cxy831126 e2yfp41b ezekiel11991 andrusic1 betty123
jayden07 gambion32 ossi2000 ravens52 taylor14 power999 iloveu13 chasity1 america7 renee123 miguel12 iforgot2
w12101957 maddie123 fishing2 boguska123 qwerty66 julio123 lukas123 gigaman8891 carmelo1 jackson12 tmvlzj12
wubin007 thebears12 hockey15 heather123 yomamma1 hejhej123 jessica9 goliath1 november30 12345678c
$hex[6d6f6e6b65790d] chester2 sig53num 911turbo justin69 marvel5454 shaney14 solo7590 nebraska1 summer21
anton123 daniel07 columbia1 hiphop123 mustang123 friends5 airsoft1 marcus123 piccolo1 almario927 icthus01
november9 lovemom1 mygirls3 fantasy7 haley123 redskins21 alexis10 allyson1 waldiw82 arabella24630 love2000
emmitt22 november26 rdukv46x jose1995 spiderman4 robert69 brandy12 money4940 shannon2 royals22 ania1986
snoopy01 grandad1 zxcvbnm0 patrick7 broadway1 xred4654 bela2404 spider12 zebra123 iloveu143 sunshine23
cat15175 meatball99 josh1234 112233qq arsenal11 mummy123 love2006 baller10 family11 george11 jolinek33
123456ss lilli2006 blackhawk1 myspace16 skittles12 william11 blueboy1 karaoke1 football45 anthony07 taylor22
krystyna56 qwertyu123 terrence1 igetmoney1 toulouse31 rksk3210 bratz123 yasmine1 tiffany123 metallica6
myspace17 12345678b sebastian106 jeremy123 brown123 j12345678 mm170667 hateyou1 maribel1 qwerty67 godim001
remo1d72a he635789 tucker12 veri1234 blade123 agnieszka1 knackwurst8853 pop168168 soccer00 ethanryan01
dalbas73 newyork12 dusty123 zxc123zxc babygirl06 pookie123 precious2 matthew13 november6 babygurl14 pimpjuice1
gdcc9921 lilmama12 qq5201314 wang123456 zhang123456 li123456 liu123456 chen123456 woshishui1 admin888
admin8888 root1234 5201314a 1314520a
"""
}
