CREATE TABLE public.boxes (id int PRIMARY KEY, b box, active boolean NOT NULL DEFAULT true, CONSTRAINT boxes_no_overlap EXCLUDE USING gist (b WITH &&) WHERE (active));
