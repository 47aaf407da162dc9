/**
 * Given names common in the languages the banner speaks (English, German,
 * French, Spanish, Italian, Dutch, Portuguese, Swedish), written by hand from
 * national lists of frequent names. A lexicon finds the names it holds: a
 * rarer name is missed, which docs/discovery.md measures.
 */
const NAMES = `
james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony mark donald
steven paul andrew joshua
kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry
justin scott brandon benjamin
samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam nathan henry douglas zachary
peter kyle ethan walter noah
jeremy christian keith roger terry gerald harold sean austin carl arthur lawrence dylan jesse jordan bryan billy joe
bruce gabriel logan albert
willie alan juan wayne elijah randy roy vincent ralph eugene russell bobby mason philip louis harry oliver charlie
liam leo oscar archie freddie
mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley
kimberly emily donna michelle
carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy angela shirley anna brenda
pamela emma nicole helen
samantha katherine christine debra rachel carolyn janet catherine maria heather diane ruth julie olivia joyce virginia
victoria kelly lauren
christina joan evelyn judith megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances
kathryn janice jean abigail
alice judy sophia grace denise amber doris marilyn danielle beverly isabella theresa diana natalie brittany charlotte
marie kayla alexis lori
amelia isla ava mia ella lily sophie chloe jessica poppy ruby evie freya
lukas leon finn jonas luis paul felix maximilian elias ben noah luca tim jan niklas moritz julian philipp tobias
florian sebastian stefan
andreas michael thomas markus christian matthias alexander martin frank jürgen jurgen klaus wolfgang dieter uwe bernd
horst manfred helmut
hans karl heinz werner gerhard günter gunter peter rainer ralf jörg jorg dirk sven torsten kai lars jens holger olaf
hendrik johannes mathias
anna lea lena hannah emma mia sophie marie lina laura lara julia sarah lisa katharina johanna clara leonie luisa
charlotte ella emilia
ursula monika petra sabine susanne andrea birgit claudia stefanie nicole heike karin gabriele renate ingrid helga
brigitte christa erika
elisabeth angelika martina silke anja katrin kerstin tanja nadine jana jasmin franziska annika greta frieda mathilda
ida paula
jean pierre michel philippe alain nicolas christophe patrick françois francois laurent frédéric frederic éric eric
olivier sébastien sebastien
julien thierry stéphane stephane david pascal daniel antoine hugo lucas louis gabriel arthur jules raphaël raphael
adam mathis théo theo
nathan enzo maël mael baptiste clément clement maxime romain guillaume vincent thomas mathieu quentin benoît benoit
yves jacques bernard
marie nathalie isabelle sylvie catherine françoise francoise martine christine monique valérie valerie sandrine sophie
céline celine
véronique veronique chantal nicole anne camille léa lea manon chloé chloe inès ines jade louise zoé zoe lucie juliette
élodie elodie
aurélie aurelie émilie emilie julie pauline mathilde margaux océane oceane amandine audrey caroline claire hélène
helene brigitte
antonio manuel francisco juan david josé jose javier daniel carlos jesús jesus alejandro miguel rafael pablo pedro
ángel angel sergio
fernando jorge luis alberto álvaro alvaro diego adrián adrian raúl raul enrique ramón ramon vicente andrés andres
joaquín joaquin
santiago mateo hugo martín martin lucas leo iván ivan rubén ruben óscar oscar víctor victor gonzalo ignacio marcos mario
maría carmen ana isabel laura cristina marta dolores lucía lucia paula elena pilar sara raquel rosa mercedes manuela
teresa beatriz
julia silvia patricia alba irene andrea rocío rocio monica mónica noelia sofía sofia valentina daniela claudia carla
natalia inés
giuseppe giovanni antonio mario luigi francesco angelo vincenzo pietro salvatore carlo franco domenico bruno paolo
michele giorgio
aldo sergio luciano stefano alessandro andrea marco matteo lorenzo leonardo riccardo davide simone federico gabriele
tommaso edoardo
giulia francesca chiara sara martina alessia valentina elisa federica silvia paola laura roberta giovanna rosa angela
lucia anna
maria aurora ginevra alice beatrice emma vittoria ludovica greta
jan pieter kees johannes hendrik willem cornelis gerrit jacobus dirk bram daan sem lucas levi thijs ruben jesse luuk
bas joost
sanne femke lotte anouk eva lisa emma julia sophie fleur iris noor tess sara lieke marloes ingrid annelies
joão joao pedro tiago rui nuno miguel bruno ricardo paulo andré andre gonçalo goncalo rodrigo diogo rafael gustavo
mateus guilherme
ana maria beatriz mariana inês ines leonor matilde carolina joana sofia catarina rita marta teresa francisca larissa
fernanda
lars anders johan erik per karl nils lennart mikael magnus fredrik henrik oskar axel elias william hugo olle björn bjorn
anna eva maria karin kristina lena sara emma elin ida ebba saga maja astrid linnea ingrid birgitta
mohammed mohamed ahmed ali omar yusuf youssef fatima aisha amina mehmet mustafa ayşe ayse elif zeynep emre
wei li ming hiroshi yuki kenji priya raj rahul anil sunil deepak arjun aarav ananya olga ivan dmitri sergei natasha
tatiana
`;

/** Lower-case given names. */
export const FIRST_NAMES: ReadonlySet<string> = new Set(NAMES.split(/\s+/).filter(Boolean));
