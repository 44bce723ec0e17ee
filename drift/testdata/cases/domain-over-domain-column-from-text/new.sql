CREATE DOMAIN qty AS int CHECK (VALUE >= 0);
CREATE DOMAIN small_qty AS qty CHECK (VALUE < 1000);
CREATE TABLE stock (id int, amount small_qty);
